package io.flowretry.connectors.control;

import jakarta.ejb.Schedule;
import jakarta.ejb.Singleton;
import jakarta.inject.Inject;

/** Closes the flows' idle database connections every 15 seconds (a non-persistent timer on each server). */
@Singleton
public class JdbcPoolEviction {

    @Inject
    JdbcPool pool;

    @Schedule(hour = "*", minute = "*", second = "*/15", persistent = false)
    void evict() {
        pool.evictIdle();
    }
}
