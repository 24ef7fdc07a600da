package io.flowretry.web.deployments;

import io.flowretry.deployments.boundary.Deployments;
import io.flowretry.deployments.entity.Deployment;
import io.flowretry.deployments.entity.Frequency;
import io.flowretry.deployments.entity.RetryMode;
import io.flowretry.deployments.entity.RetrySettings;
import io.flowretry.deployments.entity.SyncMode;
import io.flowretry.deployments.entity.SyncSettings;
import io.flowretry.environments.boundary.Environments;
import io.flowretry.environments.entity.Environment;
import io.flowretry.flows.boundary.ProcessFlows;
import io.flowretry.flows.entity.ProcessFlow;
import io.flowretry.kernel.ConflictException;
import io.flowretry.kernel.InvalidInputException;
import io.flowretry.kernel.NotFoundException;
import io.flowretry.retry.boundary.SchedulePreview;
import io.flowretry.web.Formats;
import io.flowretry.web.Messages;
import io.flowretry.web.UserBacking;
import jakarta.faces.view.ViewScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import java.io.Serializable;
import java.time.Instant;
import java.time.LocalTime;
import java.util.List;
import java.util.Map;

/**
 * The deploy wizard ({@code deployments/deploy.xhtml?environment=&flow=}), for a first deployment
 * and a redeploy alike, in the guide's three steps: Process Flow → Sync &amp; Retry → Review, with
 * Back and Next; the deploy is on Review. Next checks the fields of its step (beside each field);
 * the Sync &amp; Retry step starts from MANUAL retry at a first deployment and from the
 * deployment's current settings at a redeploy. The deployments facade validates once more on
 * deploy; a field error takes the wizard back to the step of that field, shown beside it, and
 * nothing is stored. After deploying, the page shows the deployment and its next retry run.
 * Anyone but an admin sees only the Review step: the settings as text, nothing to edit.
 */
@Named("deployWizard")
@ViewScoped
public class DeployBacking implements Serializable {

    /** The facade's field names (as in the REST payload) → the inputs that show their errors. */
    static final Map<String, String> INPUTS = Map.of(
            "flowId", "deploy:flow",
            "sync.mode", "deploy:syncMode",
            "sync.everyMinutes", "deploy:everyMinutes",
            "retry.mode", "deploy:retryMode",
            "retry.frequency", "deploy:frequency",
            "retry.dailyAt", "deploy:dailyAt",
            "retry.intervalHours", "deploy:interval",
            "retry.timeLapseMinutes", "deploy:timeLapse",
            "retry.batchSize", "deploy:batchSize");

    /** What the page shows after a successful deploy. */
    public record Deployed(long deploymentId, boolean created, int flowVersion, RetryMode retryMode, Instant nextRunAt)
            implements Serializable {
    }

    @Inject
    Environments environments;

    @Inject
    ProcessFlows flows;

    @Inject
    Deployments deployments;

    @Inject
    UserBacking user;

    @Inject
    SchedulePreview schedulePreview;

    @Inject
    Formats fmt;

    private Long environmentId;
    private Long flowId;
    private boolean redeploy;
    private String environmentName;
    private String timeZone;

    private SyncMode syncMode = SyncMode.MANUAL;
    private Integer everyMinutes;
    private RetryMode retryMode = RetryMode.MANUAL;
    private Frequency frequency = Frequency.HOURLY;
    private LocalTime dailyAt = LocalTime.of(2, 0);
    private Integer intervalHours = RetrySettings.DEFAULT_INTERVAL_HOURS;
    private Integer timeLapseMinutes = RetrySettings.DEFAULT_TIME_LAPSE_MINUTES;
    private Integer batchSize = RetrySettings.DEFAULT_BATCH_SIZE;

    private Deployed deployed;

    /** The wizard's step: {@value #FLOW_STEP} Process Flow, 1 Sync &amp; Retry, {@value #REVIEW_STEP} Review. */
    private int step = FLOW_STEP;

    static final int FLOW_STEP = 0;
    static final int REVIEW_STEP = 2;

    /** View action: an existing environment is required; a given flow that is deployed there already means redeploy. */
    public String load() {
        Environment environment = environmentId == null ? null : environments.find(environmentId).orElse(null);
        if (environment == null) {
            Messages.error("Choose an environment to deploy to");
            Messages.keepForRedirect();
            return "/environments/list.xhtml?faces-redirect=true";
        }
        environmentName = environment.getName();
        timeZone = environment.getTimeZone().getId();
        flowChosen();
        if (!user.isAdmin()) {
            step = REVIEW_STEP; // read-only: the settings as text, no inputs
        }
        return null;
    }

    /** A flow was chosen (or given): prefill from its deployment here, if any. */
    public void flowChosen() {
        var existing = flowId == null ? null : deployments.find(environmentId, flowId).orElse(null);
        redeploy = existing != null && existing.isDeployed();
        if (existing != null) {
            prefill(existing);
        }
    }

    private void prefill(Deployment d) {
        syncMode = d.getSync().getMode();
        everyMinutes = d.getSync().getEveryMinutes();
        var r = d.getRetry();
        retryMode = r.getMode();
        frequency = r.getFrequency();
        if (r.getDailyAt() != null) {
            dailyAt = r.getDailyAt();
        }
        intervalHours = r.getIntervalHours();
        timeLapseMinutes = r.getTimeLapseMinutes();
        batchSize = r.getBatchSize();
    }

    /** Next: the fields of this step passed their checks (else Faces shows them beside the fields and does not call this). */
    public void next() {
        user.requireAdmin();
        if (step == FLOW_STEP && (flowId == null || flows.find(flowId).isEmpty())) {
            Messages.errorAt("deploy:flow", "Choose a flow");
            return;
        }
        step = Math.min(step + 1, REVIEW_STEP);
    }

    /** Back: to the previous step, its values as last accepted. */
    public void back() {
        user.requireAdmin();
        step = Math.max(step - 1, FLOW_STEP);
    }

    public void deploy() {
        user.requireAdmin();
        try {
            var sync = new SyncSettings(syncMode, syncMode == SyncMode.AUTO ? everyMinutes : null);
            var retry = new RetrySettings(retryMode, frequency, frequency == Frequency.DAILY ? dailyAt : null,
                    intervalHours, timeLapseMinutes, batchSize);
            var result = deployments.deploy(environmentId, flowId, sync, retry, user.getName());
            // the scheduler sets the next run once the deploy has committed: read it back
            var stored = deployments.get(result.deployment().getId());
            deployed = new Deployed(stored.getId(), result.created(), stored.getFlowVersion(), stored.getRetry().getMode(),
                    stored.getNextRunAt());
            redeploy = true;
            Messages.info((result.created() ? "Deployed " : "Redeployed ") + flowName() + " to " + environmentName);
        } catch (InvalidInputException e) {
            // back to the step whose field is wrong, so the message is shown beside it
            step = e.errors().stream().anyMatch(f -> f.field().equals("flowId")) ? FLOW_STEP
                    : e.errors().stream().anyMatch(f -> INPUTS.containsKey(f.field())) ? 1 : step;
            Messages.fieldErrors(e, INPUTS);
        } catch (ConflictException | NotFoundException e) {
            Messages.error(e.getMessage());
        }
    }

    public int getStep() {
        return step;
    }

    /** Review: the flow chosen, with its version. */
    public String getFlowLabel() {
        return flowId == null ? "" : flows.find(flowId).map(f -> f.getName() + " (v" + f.getCurrentVersion() + ")").orElse("");
    }

    /** Review: the sync settings in words. */
    public String getSyncSummary() {
        return syncMode == SyncMode.AUTO ? "Auto, every " + everyMinutes + " min" : "Manual";
    }

    /** Review: the retry settings in words. */
    public String getRetrySummary() {
        if (!isAuto()) {
            return "Manual (an operator presses RESYNC)";
        }
        return "Auto, " + (isDaily() ? "every day at " + dailyAt + ", then every " + intervalHours + " h until midnight"
                : "every " + intervalHours + " h") + "; time lapse " + timeLapseMinutes + " min; batch size " + batchSize;
    }

    public List<ProcessFlow> getFlows() {
        return flows.list();
    }

    public String flowName() {
        return flowId == null ? "" : flows.find(flowId).map(ProcessFlow::getName).orElse("");
    }

    /** The next five retry runs of the settings shown, in the environment's time zone (empty while they are incomplete). */
    public List<String> getPreview() {
        return preview().map(p -> p.next().stream().map(at -> fmt.at(at, timeZone)).toList()).orElse(List.of());
    }

    /** The sentence under Interval: what the interval means with the frequency chosen. */
    public String getIntervalNote() {
        if (frequency == Frequency.HOURLY) {
            return intervalHours == null ? "" : "runs every " + intervalHours + " h from the deployment, whatever the time of day";
        }
        return preview().map(p -> p.dailyTimes().size() == 1
                        ? "runs once a day at " + p.dailyTimes().getFirst()
                        : "runs at " + p.dailyTimes().getFirst() + " and then every " + intervalHours + " h until midnight ("
                        + p.dailyTimes().size() + " runs a day, the last at " + p.dailyTimes().getLast() + ")")
                .orElse("");
    }

    private java.util.Optional<SchedulePreview.Preview> preview() {
        if (!isAuto() || intervalHours == null || timeZone == null || frequency == Frequency.DAILY && dailyAt == null) {
            return java.util.Optional.empty();
        }
        try {
            return java.util.Optional.of(schedulePreview.of(frequency, dailyAt, intervalHours, java.time.ZoneId.of(timeZone), 5));
        } catch (IllegalArgumentException e) {
            return java.util.Optional.empty(); // out of range: the field's own message says why
        }
    }

    public boolean isAuto() {
        return retryMode == RetryMode.AUTO;
    }

    public boolean isDaily() {
        return frequency == Frequency.DAILY;
    }

    public Frequency[] getFrequencies() {
        return Frequency.values();
    }

    public Long getEnvironmentId() {
        return environmentId;
    }

    public void setEnvironmentId(Long environmentId) {
        this.environmentId = environmentId;
    }

    public Long getFlowId() {
        return flowId;
    }

    public void setFlowId(Long flowId) {
        this.flowId = flowId;
    }

    public boolean isRedeploy() {
        return redeploy;
    }

    public String getEnvironmentName() {
        return environmentName;
    }

    public String getTimeZone() {
        return timeZone;
    }

    public SyncMode getSyncMode() {
        return syncMode;
    }

    public void setSyncMode(SyncMode syncMode) {
        this.syncMode = syncMode;
    }

    public Integer getEveryMinutes() {
        return everyMinutes;
    }

    public void setEveryMinutes(Integer everyMinutes) {
        this.everyMinutes = everyMinutes;
    }

    public RetryMode getRetryMode() {
        return retryMode;
    }

    public void setRetryMode(RetryMode retryMode) {
        this.retryMode = retryMode;
    }

    public Frequency getFrequency() {
        return frequency;
    }

    public void setFrequency(Frequency frequency) {
        this.frequency = frequency;
    }

    public LocalTime getDailyAt() {
        return dailyAt;
    }

    public void setDailyAt(LocalTime dailyAt) {
        this.dailyAt = dailyAt;
    }

    public Integer getIntervalHours() {
        return intervalHours;
    }

    public void setIntervalHours(Integer intervalHours) {
        this.intervalHours = intervalHours;
    }

    public Integer getTimeLapseMinutes() {
        return timeLapseMinutes;
    }

    public void setTimeLapseMinutes(Integer timeLapseMinutes) {
        this.timeLapseMinutes = timeLapseMinutes;
    }

    public Integer getBatchSize() {
        return batchSize;
    }

    public void setBatchSize(Integer batchSize) {
        this.batchSize = batchSize;
    }

    public Deployed getDeployed() {
        return deployed;
    }
}
