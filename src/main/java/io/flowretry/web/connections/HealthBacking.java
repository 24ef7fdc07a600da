package io.flowretry.web.connections;

import io.flowretry.connectors.boundary.ConnectionHealth;
import io.flowretry.deployments.boundary.Deployments;
import io.flowretry.deployments.boundary.FlowApps;
import io.flowretry.deployments.entity.Deployment;
import jakarta.faces.view.ViewScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import java.io.Serializable;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * The connections' health in the console: the "Test connection" button of
 * {@code connections/edit.xhtml}, and the outage banner that the Process Flows tab
 * ({@code environments/view.xhtml}) and the Resync Bucket window ({@code bucket/view.xhtml}) show
 * while an app of one of their flows is DOWN. One bean for the three pages: the banner is the same.
 */
@Named("connectionHealth")
@ViewScoped
public class HealthBacking implements Serializable {

    @Inject
    ConnectionHealth health;

    @Inject
    Deployments deployments;

    @Inject
    FlowApps flowApps;

    private String testResult;
    private boolean testOk;

    /** "Test connection": one call to the app now. */
    public void test(long connectionId) {
        var r = health.test(connectionId);
        testOk = r.ok();
        testResult = r.ok() ? "The app answered in " + r.latencyMs() + " ms" : "Failed after " + r.latencyMs() + " ms: " + r.error();
    }

    /** The banner of the environment's Process Flows tab; null while every app of its flows is UP. */
    public String bannerForEnvironment(long environmentId) {
        return banner(deployments.listByEnvironment(environmentId));
    }

    /** The banner of a deployment's Resync Bucket window; null while its apps are UP. */
    public String bannerForDeployment(Long deploymentId) {
        return deploymentId == null ? null : banner(deployments.find(deploymentId).stream().toList());
    }

    private String banner(List<Deployment> of) {
        var names = new LinkedHashSet<String>();
        of.forEach(d -> names.addAll(flowApps.names(d.getId())));
        return health.firstDown(names).map(down -> down.name() + " is DOWN since " + down.since() + " (" + down.reason()
                + "). Retry runs of the flows that use it are paused and resume by themselves once it answers again.").orElse(null);
    }

    public String getTestResult() {
        return testResult;
    }

    public boolean isTestOk() {
        return testOk;
    }
}
