package io.flowretry.openapi.boundary;

import io.flowretry.alerts.boundary.AlertChannelsResource;
import io.flowretry.bucket.boundary.BucketItemsResource;
import io.flowretry.bucket.boundary.BucketResource;
import io.flowretry.bucket.boundary.DiscardResource;
import io.flowretry.connectors.boundary.ConnectionStatusResource;
import io.flowretry.connectors.boundary.ConnectionTestResource;
import io.flowretry.connectors.boundary.ConnectionsResource;
import io.flowretry.deployments.boundary.DeploymentsResource;
import io.flowretry.deployments.boundary.EnvironmentDeploymentsResource;
import io.flowretry.deployments.boundary.EnvironmentProcessFlowsResource;
import io.flowretry.environments.boundary.EnvironmentsResource;
import io.flowretry.executions.boundary.ExecutionResource;
import io.flowretry.executions.boundary.ExecutionsResource;
import io.flowretry.flows.boundary.ProcessFlowsResource;
import io.flowretry.platform.boundary.TestClockResource;
import io.flowretry.retention.boundary.RetentionResource;
import io.flowretry.retry.boundary.ResyncResource;
import io.flowretry.retry.boundary.RestartResource;
import io.flowretry.retry.boundary.RetryRunsResource;
import io.flowretry.retry.boundary.StopResource;
import io.flowretry.security.boundary.UsersResource;
import io.flowretry.snapshots.boundary.SnapshotsResource;

import java.util.List;

/**
 * What reflection cannot read from a resource method: its operationId, summary, the status of
 * success, the body of a {@code Response}, and the failures beyond the ones every call has
 * (401; 403 where a role is required; 404 with a path id; 400 with a body or query). A resource
 * method missing here fails {@code OpenApiDocumentTest}.
 */
public final class ApiOperations {

    /** The version of the REST contract (shared/api.md v1 + "v2 additions"), not of the build. */
    static final String VERSION = "2.0";
    static final String DESCRIPTION = "Keeps every failed record of a process flow's deployment in its resync bucket "
            + "and retries it: automatically on a schedule (at most 4 automatic tries) or by an operator's RESYNC. "
            + "Every retry run leaves a snapshot. Errors are application/problem+json naming the field in errors[].";

    /**
     * @param returns the body of a method that returns {@code Response} (null: none); ignored otherwise
     * @param codes   further codes: below 400 more successes with the same body, from 400 failures
     */
    public record Operation(Class<?> resource, String method, String operationId, String summary, int status,
                            Class<?> returns, List<Integer> codes) {
    }

    private static Operation op(Class<?> resource, String method, String operationId, String summary) {
        return new Operation(resource, method, operationId, summary, 200, null, List.of());
    }

    private static Operation op(Class<?> resource, String method, String operationId, String summary,
                                int status, Class<?> returns, Integer... codes) {
        return new Operation(resource, method, operationId, summary, status, returns, List.of(codes));
    }

    public static final List<Operation> ALL = List.of(
            op(EnvironmentsResource.class, "create", "createEnvironment", "Create an environment",
                    201, EnvironmentsResource.EnvironmentView.class, 409),
            op(EnvironmentsResource.class, "list", "listEnvironments", "List the environments"),
            op(EnvironmentsResource.class, "get", "getEnvironment", "Read an environment"),
            op(EnvironmentsResource.class, "patch", "updateEnvironment", "Change an environment's activity, description or time zone",
                    200, null, 409),
            op(io.flowretry.environments.boundary.AgentsResource.class, "list", "listAgents",
                    "List the agents (servers) on this database: state by heartbeat, and the environments each is attached to"),
            op(io.flowretry.environments.boundary.EnvironmentAgentsResource.class, "attach", "attachAgent",
                    "Attach an agent to an environment (admin): it runs the environment's flows", 200, null, 404),
            op(io.flowretry.environments.boundary.EnvironmentAgentsResource.class, "detach", "detachAgent",
                    "Detach an agent from an environment (admin): it no longer runs the environment's flows", 200, null, 404),
            op(EnvironmentProcessFlowsResource.class, "list", "listEnvironmentProcessFlows",
                    "List the flows deployed in an environment, with their retry settings and bucket counts"),
            op(EnvironmentDeploymentsResource.class, "deploy", "deployFlow",
                    "Deploy a flow to an environment (201), or redeploy it (200: same deploymentId, bucket kept)",
                    201, DeploymentsResource.DeploymentView.class, 200, 409),
            op(EnvironmentDeploymentsResource.class, "list", "listEnvironmentDeployments",
                    "List an environment's deployments, undeployed ones too"),
            op(ConnectionsResource.class, "create", "createConnection",
                    "Create a connection (a JDBC or HTTP app; HTTP: maxConcurrency 1-64, default 8, requestsPerSecond > 0,"
                            + " connectTimeoutSeconds and requestTimeoutSeconds 1-3600, auth BASIC, BEARER or OAUTH2_CLIENT_CREDENTIALS)",
                    201, ConnectionsResource.ConnectionView.class, 409),
            op(ConnectionsResource.class, "update", "updateConnection",
                    "Change a connection; a masked \"***\" secret keeps the stored one", 200, null, 409),
            op(ConnectionsResource.class, "list", "listConnections", "List the connections (secrets masked)"),
            op(ConnectionsResource.class, "get", "getConnection", "Read a connection (secrets masked)"),
            op(ConnectionsResource.class, "delete", "deleteConnection",
                    "Delete a connection no flow or deployment uses (409 names the one that does)", 204, null, 409),
            op(ConnectionStatusResource.class, "status", "getConnectionStatus",
                    "Read a connection's circuit breaker: UP or DOWN, since when, the last error"),
            op(ConnectionTestResource.class, "test", "testConnection",
                    "Call the app once now (JDBC isValid, HTTP GET on the base URL); a DOWN app that answers is UP again"),
            op(ProcessFlowsResource.class, "create", "createProcessFlow", "Create a process flow (version 1)",
                    201, ProcessFlowsResource.FlowView.class, 409),
            op(ProcessFlowsResource.class, "update", "updateProcessFlow", "Save a new version of a process flow",
                    200, null, 409),
            op(ProcessFlowsResource.class, "delete", "deleteProcessFlow",
                    "Delete a process flow no deployment uses, undeployed ones included (409 names the one that does)", 204, null, 409),
            op(ProcessFlowsResource.class, "list", "listProcessFlows", "List the process flows"),
            op(ProcessFlowsResource.class, "get", "getProcessFlow", "Read a process flow's latest version"),
            op(ProcessFlowsResource.class, "versions", "listProcessFlowVersions", "List every version of a process flow"),
            op(ProcessFlowsResource.class, "version", "getProcessFlowVersion", "Read one version of a process flow"),
            op(DeploymentsResource.class, "list", "listDeployments", "List every deployment"),
            op(DeploymentsResource.class, "get", "getDeployment", "Read a deployment with its next retry run"),
            op(DeploymentsResource.class, "undeploy", "undeploy",
                    "Undeploy: timers cancelled, the bucket kept and readable", 200, null, 409),
            op(ExecutionsResource.class, "start", "startExecution",
                    "Start the main execution of a deployment (409 while one runs or the environment is inactive)",
                    202, ExecutionsResource.Started.class, 409),
            op(ExecutionsResource.class, "list", "listExecutions", "List a deployment's main executions"),
            op(ExecutionResource.class, "get", "getExecution", "Read a main execution and its counts"),
            op(BucketResource.class, "page", "getBucket",
                    "A page of a deployment's resync bucket (filter by sourceId prefix and status; keyset cursor)"),
            op(BucketItemsResource.class, "get", "getBucketItem", "Read a bucket item with its override and every attempt"),
            op(BucketItemsResource.class, "setOverride", "setBucketItemOverride",
                    "Edit before resync: fields put over the record the next resync re-reads from the source (a success drops them)",
                    200, null, 409),
            op(BucketItemsResource.class, "dropOverride", "dropBucketItemOverride", "Drop a bucket item's override", 204, null),
            op(DiscardResource.class, "discard", "discardBucketItems",
                    "Discard failed records (itemIds or filter) with a reason: never picked by an automatic run again"),
            op(ResyncResource.class, "resync", "resyncBucket",
                    "The manual RESYNC of chosen items (itemIds) or of a filter; runs whatever the auto tries",
                    202, RetryRunsResource.RunStarted.class, 409),
            op(RetryRunsResource.class, "list", "listRetryRuns", "List a deployment's retry runs, newest first"),
            op(RetryRunsResource.class, "runNow", "startRetryRun",
                    "Run the automatic retry now (due records only; counts as an auto try)",
                    202, RetryRunsResource.RunStarted.class, 409),
            op(SnapshotsResource.class, "get", "getRetryRun", "A retry run's snapshot: settings, flow version and items (paged)"),
            op(StopResource.class, "stop", "stopRetryRun", "Stop a running retry run after its current chunk",
                    202, RetryRunsResource.RunStarted.class, 409),
            op(RestartResource.class, "restart", "restartRetryRun", "Continue a stopped or failed run from its last chunk",
                    202, RetryRunsResource.RunStarted.class, 409),
            op(AlertChannelsResource.class, "create", "createAlertChannel",
                    "Create an alert channel: a webhook (http(s) URL, optional HMAC-SHA256 secret) or, with a mail session, e-mail",
                    201, AlertChannelsResource.ChannelView.class, 409),
            op(AlertChannelsResource.class, "list", "listAlertChannels", "List the alert channels (secrets masked)"),
            op(AlertChannelsResource.class, "delete", "deleteAlertChannel", "Delete an alert channel and its deliveries",
                    204, null),
            op(AlertChannelsResource.class, "test", "testAlertChannel",
                    "Send a test alert now; answers the delivery with its outcome"),
            op(AlertChannelsResource.class, "deliveries", "listAlertDeliveries", "A channel's latest deliveries, newest first"),
            op(RetentionResource.class, "run", "runRetention",
                    "Apply retention now: delete resolved and discarded items, old snapshot items and executions (never a FAILED record)",
                    200, null, 409),
            op(UsersResource.class, "create", "createUser", "Create a user with roles", 201, UsersResource.UserView.class, 409),
            op(UsersResource.class, "me", "getCurrentUser", "The signed-in user and roles"),
            op(TestClockResource.class, "get", "getTestClock", "Tests only (FLOWRETRY_CLOCK_CONTROL, else 404): the application's clock",
                    200, null, 404),
            op(TestClockResource.class, "set", "setTestClock", "Tests only (FLOWRETRY_CLOCK_CONTROL, else 404): move the application's clock",
                    200, null, 404)
    );

    private ApiOperations() {
    }
}
