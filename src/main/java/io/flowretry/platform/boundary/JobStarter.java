package io.flowretry.platform.boundary;

import io.flowretry.platform.control.Jobs;
import jakarta.inject.Inject;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.annotation.WebListener;

/** When the web module starts, the thread batch jobs start from is created under its context ({@link Jobs#startFromThisThread()}). */
@WebListener
public class JobStarter implements ServletContextListener {

    @Inject
    Jobs jobs;

    @Override
    public void contextInitialized(ServletContextEvent event) {
        jobs.startFromThisThread();
    }
}
