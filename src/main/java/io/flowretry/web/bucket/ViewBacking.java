package io.flowretry.web.bucket;

import io.flowretry.kernel.FieldError;
import io.flowretry.bucket.boundary.BucketActions;
import io.flowretry.bucket.boundary.Buckets;
import io.flowretry.bucket.entity.BucketFilter;
import io.flowretry.bucket.entity.BucketSort;
import io.flowretry.bucket.entity.BucketTotal;
import io.flowretry.kernel.ErrorClass;
import io.flowretry.bucket.entity.QueueState;
import io.flowretry.bucket.entity.Attempt;
import io.flowretry.bucket.entity.BucketStatus;
import io.flowretry.deployments.boundary.Deployments;
import io.flowretry.environments.boundary.Environments;
import io.flowretry.flows.boundary.ProcessFlows;
import io.flowretry.kernel.ConflictException;
import io.flowretry.kernel.InvalidInputException;
import io.flowretry.platform.boundary.Problem;
import io.flowretry.kernel.NotFoundException;
import io.flowretry.retry.boundary.RetryRuns;
import io.flowretry.snapshots.boundary.Snapshots;
import io.flowretry.snapshots.entity.RetryRun;
import io.flowretry.snapshots.entity.RunStatus;
import io.flowretry.web.Messages;
import io.flowretry.web.UserBacking;
import io.flowretry.web.snapshots.ListBacking;
import jakarta.faces.context.FacesContext;
import jakarta.faces.view.ViewScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import org.primefaces.PrimeFaces;
import org.primefaces.component.datatable.DataTable;

import java.io.Serializable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The Resync Bucket window ({@code bucket/view.xhtml?deployment=}): the deployment's bucket,
 * filtered by source id prefix and status, paged on the server ({@link BucketRows}). Operators and
 * admins select rows (on the page, or all matching the filter) and RESYNC them (confirmed first
 * when more than {@value #CONFIRM_ABOVE}): a manual retry run whose counters the page polls until it
 * ends (or is stopped), then it shows the rows of the page read again, those that succeeded too.
 * The filter, status, order and page are in the URL ({@code &sourceId=&status=FAILED|SUCCESS|ALL
 * &queueState=&errorClass=&sort=&page=&rows=}),
 * kept up to date as they change, so a link to what is shown can be shared.
 */
@Named("bucketView")
@ViewScoped
public class ViewBacking implements Serializable {

    /** A RESYNC of more records than this asks first. */
    public static final int CONFIRM_ABOVE = 100;
    static final int DEFAULT_ROWS = 25;

    /** The run started by RESYNC, as the progress bar shows it. */
    public record Progress(long runId, RunStatus status, int picked, int succeeded, int failed, BucketTotal expected, String reason)
            implements Serializable {

        boolean running() {
            return status == RunStatus.STARTED;
        }

        /**
         * 100 once ended; below 100 while running (the selection may shrink when items are gone);
         * unknown (the bar is indeterminate) when the selection was counted only up to the limit.
         */
        int percent() {
            if (!running()) {
                return 100;
            }
            return expected.count() <= 0 ? 0 : (int) Math.min(99, picked * 100 / expected.count());
        }

        public boolean indeterminate() {
            return running() && !expected.exact();
        }

        /** run-running, run-ok, run-partial (amber) or run-failed (red, also when every record failed). */
        public String outcome() {
            return ListBacking.RunRow.outcome(status.name(), succeeded, failed);
        }
    }

    /** One attempt of the expanded row's timeline; {@code user} and {@code reason} where a person acted. */
    public record AttemptRow(Instant at, String trigger, String outcome, String errorClass, String error, Long runId,
                             String user, String reason) implements Serializable {
        static AttemptRow of(Attempt a) {
            return new AttemptRow(a.getAttemptedAt(), a.getTrigger().name(), a.getOutcome().name(),
                    a.getErrorClass() == null ? null : a.getErrorClass().name(), a.getError(), a.getRunId(),
                    a.getUser(), a.getReason());
        }
    }

    /** An item's override as the expanded row shows it (null fields: none). */
    public record OverrideRow(String fields, String reason, String user, Instant at) implements Serializable {
    }

    @Inject
    Deployments deployments;

    @Inject
    Environments environments;

    @Inject
    ProcessFlows flows;

    @Inject
    Buckets buckets;

    @Inject
    RetryRuns retryRuns;

    @Inject
    Snapshots snapshots;

    @Inject
    UserBacking user;

    @Inject
    BucketActions actions;

    private Long deploymentId;
    private long environmentId;
    /** Why the environment's flows do not run now (inactive, no connected agent); null when they do. */
    private String cannotRun;
    private String flowName;
    private String flowDescription;
    private String environmentName;
    private String timeZone;

    private String sourceId;
    private BucketStatus status = BucketStatus.FAILED;
    private QueueState queueState;
    private ErrorClass errorClass;
    private BucketSort sort = BucketSort.SOURCE_ID;
    private int page = 1;
    private int pageRows = DEFAULT_ROWS;
    private BucketRows rows;
    private List<BucketRow> selected = new ArrayList<>();
    private boolean allMatching;
    private BucketTotal resyncable;
    private Progress progress;
    private final Map<Long, List<AttemptRow>> attempts = new HashMap<>();
    private String discardReason;
    private final Map<Long, OverrideRow> shownOverrides = new HashMap<>();
    /** The override editor's inputs, by item id. */
    private final Map<Long, String> overrideFields = new HashMap<>();
    private final Map<Long, String> overrideReasons = new HashMap<>();

    /** View action: the deployment named by {@code ?deployment=}; unknown → the environments list. */
    public String load() {
        var deployment = deploymentId == null ? null : deployments.find(deploymentId).orElse(null);
        if (deployment == null) {
            Messages.error("No deployment " + deploymentId);
            Messages.keepForRedirect();
            return "/environments/list.xhtml?faces-redirect=true";
        }
        var flow = flows.get(deployment.getFlowId());
        var environment = environments.get(deployment.getEnvironmentId());
        environmentId = environment.getId();
        flowName = flow.getName();
        flowDescription = flow.getDescription();
        environmentName = environment.getName();
        timeZone = environment.getTimeZone().getId();
        cannotRun = environments.health(environment.getId()).reason();
        var wanted = filter();
        if (wanted.invalid().isPresent()) { // a hand-made link: show the default order rather than nothing
            Messages.error("The link's " + wanted.invalid().get().field() + " " + wanted.invalid().get().message()
                    + ": showing the records by Source ID");
            queueState = null;
            errorClass = null;
            sort = BucketSort.SOURCE_ID;
            sourceId = wanted.sourceIdPrefix();
            wanted = filter();
        }
        rows = new BucketRows(buckets, deploymentId, deployment.getRetry().getTimeLapseMinutes(), wanted);
        return null;
    }

    /** The table's first row, from {@code ?page=} (1 = the first page). */
    public int getFirst() {
        // a page past the count limit is reached with Next only: a link to page 100,000 must not walk 2.5 million rows
        return Math.min(page - 1, BucketTotal.COUNT_LIMIT / pageRows) * pageRows;
    }

    /** The table's page changed: the URL says which. */
    public void paged(org.primefaces.event.data.PageEvent event) {
        var table = (DataTable) event.getComponent();
        pageRows = table.getRows();
        page = event.getPage() + 1;
        updateUrl();
    }

    /** This page's URL with the filter, status and page shown now. */
    public String getShareUrl() {
        var external = FacesContext.getCurrentInstance().getExternalContext();
        var shown = rows.filter();
        var url = new StringBuilder(external.getRequestContextPath()).append("/bucket/view.xhtml?deployment=").append(deploymentId);
        url.append("&status=").append(shown.status() == null ? "ALL" : shown.status().name());
        if (shown.sourceIdPrefix() != null) {
            url.append("&sourceId=").append(java.net.URLEncoder.encode(shown.sourceIdPrefix(), java.nio.charset.StandardCharsets.UTF_8));
        }
        if (shown.queueState() != null) {
            url.append("&queueState=").append(shown.queueState().name());
        }
        if (shown.errorClass() != null) {
            url.append("&errorClass=").append(shown.errorClass().name());
        }
        if (shown.sort() != BucketSort.SOURCE_ID) {
            url.append("&sort=").append(shown.sort().name());
        }
        if (page > 1) {
            url.append("&page=").append(page);
        }
        if (pageRows != DEFAULT_ROWS) {
            url.append("&rows=").append(pageRows);
        }
        return url.toString();
    }

    private void updateUrl() {
        // URL-encoded parameters and a context path: no quote or backslash can end the string early
        PrimeFaces.current().executeScript("history.replaceState(null, '', '" + getShareUrl().replace("'", "%27") + "')");
    }

    /** What the fields say; a queue state implies its status, so the status menu then says All. */
    private BucketFilter filter() {
        var prefix = sourceId == null || sourceId.isBlank() ? null : sourceId.trim();
        if (queueState != null) {
            status = null;
        }
        return new BucketFilter(prefix, status, queueState, errorClass, sort);
    }

    /**
     * Filter button, Enter in the Source ID field, or a new status, queue state, error class or
     * order: page 1 of the new filter, nothing selected. A combination no index serves (a sorted
     * order with a Source ID, say) is refused with a message beside the field; the table stays.
     */
    public void applyFilter() {
        var wanted = filter();
        var invalid = wanted.invalid();
        if (invalid.isPresent()) {
            Messages.errorAt("bucket:" + invalid.get().field(), invalid.get().message()
                    .replace("SOURCE_ID", "Source ID").replace("sourceId", "a Source ID").replace("queueState", "a queue state")
                    .replace("errorClass", "an error class"));
            return;
        }
        rows.filter(wanted);
        clearSelection();
        firstPage();
        page = 1;
        updateUrl();
    }

    public void refresh() {
        rows.refresh();
        resyncable = null;
        attempts.clear();
        shownOverrides.clear();
    }

    private void firstPage() {
        var table = (DataTable) FacesContext.getCurrentInstance().getViewRoot().findComponent(":bucket:items");
        if (table != null) {
            table.setFirst(0);
        }
    }

    public void selectAllMatching() {
        allMatching = true;
    }

    public void clearSelection() {
        selected = new ArrayList<>();
        allMatching = false;
        resyncable = null;
    }

    /**
     * How many items "all matching" resyncs: the filter's total, but only the failed ones when the
     * status filter is "All" (a filtered RESYNC takes FAILED unless SUCCESS is asked for).
     */
    /** "Select all matching" resyncs by source id prefix and status: only offered when the filter is no more than that. */
    public boolean isAllMatchingOffered() {
        var shown = rows.filter();
        return shown.queueState() == null && shown.errorClass() == null;
    }

    public BucketTotal getResyncable() {
        if (resyncable == null) {
            var shown = rows.filter();
            resyncable = shown.status() == null
                    ? buckets.count(deploymentId, new BucketFilter(shown.sourceIdPrefix(), BucketStatus.FAILED))
                    : rows.total();
        }
        return resyncable;
    }

    /** RESYNC: a manual run of the selected rows, or of everything matching the filter. */
    public void resync() {
        user.requireOperator();
        if (!allMatching && selected.isEmpty()) {
            Messages.error("Select the records to resync first");
            return;
        }
        try {
            long runId;
            BucketTotal expected;
            if (allMatching) {
                var shown = rows.filter(); // what the table shows, not what was typed since
                expected = getResyncable();
                runId = retryRuns.resyncMatching(deploymentId, shown.sourceIdPrefix(),
                        shown.status() == null ? null : shown.status().name(), user.getName());
            } else {
                var ids = selected.stream().map(BucketRow::id).distinct().toList();
                expected = new BucketTotal(ids.size(), true);
                try {
                    runId = retryRuns.resyncIds(deploymentId, ids, user.getName());
                } catch (InvalidInputException e) { // only itemIds can be wrong: ids of this page's rows
                    Messages.error("Some selected records are not in this bucket any more; refresh and select again");
                    return;
                }
            }
            progress = progressOf(snapshots.get(runId), expected);
            Messages.info("Resync run " + runId + " started for " + expected.text() + " record"
                    + (expected.exact() && expected.count() == 1 ? "" : "s"));
        } catch (ConflictException | NotFoundException e) {
            Messages.error(e.getMessage());
        }
    }

    /** Stop on the progress bar: the run stops after its current chunk (it can be restarted from its snapshot). */
    public void stopRun() {
        user.requireOperator();
        if (progress == null || !progress.running()) {
            return;
        }
        try {
            retryRuns.stop(progress.runId());
            Messages.info("Resync run " + progress.runId() + " stops after its current chunk");
        } catch (ConflictException | NotFoundException e) {
            Messages.error(e.getMessage());
        }
    }

    /** Discard (before its dialog opens): there must be something to discard. */
    public void prepareDiscard() {
        user.requireOperator();
        if (!allMatching && selected.isEmpty()) {
            Messages.error("Select the records to discard first");
            return;
        }
        discardReason = null;
        PrimeFaces.current().ajax().addCallbackParam("ready", true);
    }

    /** "Discard 12,431 records matching Source ID 'C01' and status Failed?": the RESYNC question's words. */
    public String getDiscardMessage() {
        return getConfirmMessage().replaceFirst("^Resync", "Discard") + " Only failed records are discarded; a RESYNC by id brings one back.";
    }

    /** The dialog's Discard: the selected rows, or all failed ones matching the filter, with the reason given. */
    public void discard() {
        user.requireOperator();
        try {
            int n = allMatching
                    ? actions.discardMatching(deploymentId, rows.filter(), user.getName(), discardReason)
                    : actions.discard(deploymentId, selected.stream().map(BucketRow::id).toList(), user.getName(), discardReason);
            PrimeFaces.current().ajax().addCallbackParam("discarded", true);
            clearSelection();
            refresh();
            Messages.info("Discarded " + n + " record" + (n == 1 ? "" : "s") + ": no automatic run picks " + (n == 1 ? "it" : "them") + " again");
        } catch (InvalidInputException e) {
            Messages.fieldErrors(e, Map.of("reason", "bucket:discardReason"), "bucket:discardReason");
        } catch (ConflictException | NotFoundException e) {
            Messages.error(e.getMessage());
        }
    }

    /** The expanded row's override (read once until the next refresh); the editor starts from it. */
    public OverrideRow override(long itemId) {
        return shownOverrides.computeIfAbsent(itemId, id -> {
            var row = actions.override(id).map(o -> new OverrideRow(o.fields().toString(), o.reason(), o.user(), o.at()))
                    .orElse(new OverrideRow(null, null, null, null));
            overrideFields.putIfAbsent(id, row.fields() == null ? "" : row.fields());
            overrideReasons.putIfAbsent(id, row.reason() == null ? "" : row.reason());
            return row;
        });
    }

    /**
     * Save in the row's editor: the JSON object of fields (a parse error shown beside it with its
     * line and column) and the reason, by the API's rules ({@link BucketActions#setOverride}).
     */
    public void saveOverride(jakarta.faces.event.ActionEvent event) {
        user.requireOperator();
        long itemId = (Long) event.getComponent().getAttributes().get("itemId");
        var fieldsId = event.getComponent().findComponent("overrideFields").getClientId();
        var reasonId = event.getComponent().findComponent("overrideReason").getClientId();
        jakarta.json.JsonValue fields;
        var text = overrideFields.getOrDefault(itemId, "");
        try (var reader = jakarta.json.Json.createReader(new java.io.StringReader(text))) {
            fields = reader.readValue();
        } catch (jakarta.json.stream.JsonParsingException e) {
            Messages.errorAt(fieldsId, parseError(text, e));
            FacesContext.getCurrentInstance().validationFailed();
            return;
        } catch (jakarta.json.JsonException e) {
            Messages.errorAt(fieldsId, "not JSON: " + e.getMessage());
            FacesContext.getCurrentInstance().validationFailed();
            return;
        }
        try {
            actions.setOverride(itemId, fields, overrideReasons.get(itemId), user.getName());
            shownOverrides.remove(itemId);
            attempts.remove(itemId);
            Messages.info("Saved: the next resync of this record uses these fields over the values it reads from the source");
        } catch (InvalidInputException e) {
            Messages.fieldErrors(new InvalidInputException(e.errors().stream()
                    .map(f -> f.field().startsWith("fields.") ? new FieldError("fields", f.field().substring(7) + " " + f.message()) : f)
                    .toList()), Map.of("fields", fieldsId, "reason", reasonId), fieldsId);
        } catch (ConflictException | NotFoundException e) {
            Messages.errorAt(fieldsId, e.getMessage());
            FacesContext.getCurrentInstance().validationFailed();
        }
    }

    /**
     * "line 1, column 27: unexpected end (expected , or })" instead of the parser's "Invalid
     * token=EOF at (line no=1, …": at the end of the text for an unfinished one (the parser's
     * column there is its buffer's), else where the parser stopped.
     */
    static String parseError(String text, jakarta.json.stream.JsonParsingException e) {
        var message = String.valueOf(e.getMessage());
        var token = java.util.regex.Pattern.compile("token=(\\S+)").matcher(message);
        var expected = java.util.regex.Pattern.compile("Expected tokens are: \\[([^]]*)]").matcher(message);
        long line = e.getLocation().getLineNumber();
        long column = e.getLocation().getColumnNumber();
        String what = message;
        if (token.find()) {
            if ("EOF".equals(token.group(1))) {
                var lines = text.split("\\R", -1);
                line = lines.length;
                column = lines[lines.length - 1].length() + 1;
                what = "unexpected end";
            } else {
                what = "unexpected " + token.group(1).toLowerCase(java.util.Locale.ROOT);
            }
        }
        if (expected.find()) {
            what += " (expected " + java.util.Arrays.stream(expected.group(1).split(",\\s*")).map(t -> switch (t.strip()) {
                case "CURLYOPEN" -> "{";
                case "CURLYCLOSE" -> "}";
                case "SQUAREOPEN" -> "[";
                case "SQUARECLOSE" -> "]";
                case "COLON" -> ":";
                case "COMMA" -> ",";
                default -> t.strip().toLowerCase(java.util.Locale.ROOT);
            }).collect(java.util.stream.Collectors.joining(" or ")) + ")";
        }
        return "line " + line + ", column " + column + ": " + what;
    }

    /** Remove in the row's editor: the next resync maps the source's values alone. */
    public void dropOverride(jakarta.faces.event.ActionEvent event) {
        user.requireOperator();
        long itemId = (Long) event.getComponent().getAttributes().get("itemId");
        try {
            actions.dropOverride(itemId);
            Messages.info("Override removed");
        } catch (NotFoundException e) {
            Messages.error("This record has no override");
        }
        shownOverrides.remove(itemId);
        overrideFields.remove(itemId);
        overrideReasons.remove(itemId);
    }

    public Map<Long, String> getOverrideFields() {
        return overrideFields;
    }

    public Map<Long, String> getOverrideReasons() {
        return overrideReasons;
    }

    public String getDiscardReason() {
        return discardReason;
    }

    public void setDiscardReason(String discardReason) {
        this.discardReason = discardReason;
    }

    /** How many records RESYNC would take now: the selection, or all matching the filter. */
    public BucketTotal getToResync() {
        return allMatching ? getResyncable() : new BucketTotal(selected.size(), true);
    }

    public boolean isConfirmNeeded() {
        var n = getToResync();
        return !n.exact() || n.count() > CONFIRM_ABOVE;
    }

    /** "Resync 12,431 records matching Source ID 'C01' and status Failed?" */
    public String getConfirmMessage() {
        var n = getToResync();
        if (!allMatching) {
            return "Resync " + n.text() + " selected records?";
        }
        var shown = rows.filter();
        var what = new StringBuilder("Resync ").append(n.text()).append(" records matching ");
        if (shown.sourceIdPrefix() != null) {
            what.append("Source ID '").append(shown.sourceIdPrefix()).append("' and ");
        }
        BucketStatus shownStatus = shown.status();
        what.append("status ").append(shownStatus == BucketStatus.SUCCESS ? "Succeeded" : shownStatus == BucketStatus.DISCARDED ? "Discarded" : "Failed");
        return what.append("?").toString();
    }

    /** The poll: reads the run's counters; once it has ended, shows the refreshed rows. */
    public void poll() {
        if (progress == null || !progress.running()) {
            return;
        }
        progress = progressOf(snapshots.get(progress.runId()), progress.expected());
        if (!progress.running()) {
            clearSelection();
            rows.keepShownPage(); // the rows that succeeded stay, marked SUCCESS, until the next refresh
            attempts.clear();
            PrimeFaces.current().ajax().update("bucket:items", "bucket:selectionBar");
            Messages.info("Resync run " + progress.runId() + " " + progress.status().name().toLowerCase()
                    + ": " + progress.succeeded() + " succeeded, " + progress.failed() + " failed");
        }
    }

    private static Progress progressOf(RetryRun run, BucketTotal expected) {
        return new Progress(run.getId(), run.getStatus(), run.getPicked(), run.getSucceeded(), run.getFailed(), expected,
                run.getReason());
    }

    /** The attempts timeline of an expanded row, oldest first (read once per row until the next refresh). */
    public List<AttemptRow> attempts(long itemId) {
        return attempts.computeIfAbsent(itemId, id -> buckets.attempts(id).stream().map(AttemptRow::of).toList());
    }

    public boolean isRunning() {
        return progress != null && progress.running();
    }

    public Long getDeploymentId() {
        return deploymentId;
    }

    public void setDeploymentId(Long deploymentId) {
        this.deploymentId = deploymentId;
    }

    public long getEnvironmentId() {
        return environmentId;
    }

    public String getCannotRun() {
        return cannotRun;
    }

    public String getFlowName() {
        return flowName;
    }

    public String getFlowDescription() {
        return flowDescription;
    }

    public String getEnvironmentName() {
        return environmentName;
    }

    public String getTimeZone() {
        return timeZone;
    }

    public String getSourceId() {
        return sourceId;
    }

    public void setSourceId(String sourceId) {
        this.sourceId = sourceId;
    }

    public BucketStatus getStatus() {
        return status;
    }

    /** {@code ?status=}: FAILED (the default), SUCCESS or ALL; anything else shows the failed ones with a message. */
    public String getStatusParam() {
        return status == null ? "ALL" : status.name();
    }

    public void setStatusParam(String value) {
        if (value == null || value.isBlank()) {
            status = BucketStatus.FAILED;
        } else if ("ALL".equalsIgnoreCase(value.trim())) {
            status = null;
        } else {
            try {
                status = BucketStatus.valueOf(value.trim().toUpperCase(java.util.Locale.ROOT));
            } catch (IllegalArgumentException e) {
                status = BucketStatus.FAILED;
                Messages.error("Unknown status '" + value + "' in the link: showing the failed records");
            }
        }
    }

    public QueueState getQueueState() {
        return queueState;
    }

    public void setQueueState(QueueState queueState) {
        this.queueState = queueState;
    }

    public ErrorClass getErrorClass() {
        return errorClass;
    }

    public void setErrorClass(ErrorClass errorClass) {
        this.errorClass = errorClass;
    }

    public BucketSort getSort() {
        return sort;
    }

    public void setSort(BucketSort sort) {
        this.sort = sort == null ? BucketSort.SOURCE_ID : sort;
    }

    public QueueState[] getQueueStates() {
        return QueueState.values();
    }

    public ErrorClass[] getErrorClasses() {
        return ErrorClass.values();
    }

    public Integer getPage() {
        return page;
    }

    /** {@code ?page=}: 1 and up (a smaller one shows the first page). */
    public void setPage(Integer page) {
        this.page = page == null || page < 1 ? 1 : page;
    }

    public Integer getPageRows() {
        return pageRows;
    }

    /** {@code ?rows=}: 25, 50 or 100. */
    public void setPageRows(Integer rows) {
        this.pageRows = rows != null && (rows == 25 || rows == 50 || rows == 100) ? rows : DEFAULT_ROWS;
    }

    public void setStatus(BucketStatus status) {
        this.status = status;
    }

    public BucketRows getRows() {
        return rows;
    }

    public BucketTotal getTotal() {
        return rows.total();
    }

    public List<BucketRow> getSelected() {
        return selected;
    }

    public void setSelected(List<BucketRow> selected) {
        this.selected = selected == null ? new ArrayList<>() : new ArrayList<>(selected);
    }

    /** Whether the status filter is "All" (a filtered RESYNC then takes the failed records only). */
    public boolean isAllStatuses() {
        return rows.filter().status() == null;
    }

    public boolean isAllMatching() {
        return allMatching;
    }

    public Progress getProgress() {
        return progress;
    }

    public int getProgressPercent() {
        return progress == null ? 0 : progress.percent();
    }
}
