package io.flowretry.kernel;

import java.util.List;

/**
 * The three roles of the contract: admin does everything, operator executes and resyncs, viewer reads;
 * and metrics, which may only scrape /metrics (a Prometheus server's user).
 */
public final class Roles {
    public static final String ADMIN = "admin";
    public static final String OPERATOR = "operator";
    public static final String VIEWER = "viewer";
    public static final String METRICS = "metrics";
    /** The roles of the console and the API. */
    public static final List<String> ALL = List.of(ADMIN, OPERATOR, VIEWER);
    /** What a user may be given. */
    public static final List<String> ASSIGNABLE = List.of(ADMIN, OPERATOR, VIEWER, METRICS);

    private Roles() {
    }
}
