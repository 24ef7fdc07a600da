package io.flowretry.web.bucket;

import io.flowretry.bucket.boundary.Buckets;
import io.flowretry.bucket.entity.BucketFilter;
import io.flowretry.bucket.entity.BucketTotal;
import io.flowretry.bucket.entity.ItemPage;
import org.primefaces.model.FilterMeta;
import org.primefaces.model.LazyDataModel;
import org.primefaces.model.SortMeta;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The bucket table's rows, a page at a time, on the keyset bucket query: a page's offset
 * ({@code first}) maps to the cursor that starts it, learnt from the page before, so paging
 * forward and back never uses OFFSET. A jump to an offset not seen yet walks forward from the
 * nearest known one. The total is counted once per filter (and again after {@link #refresh()}),
 * not on every page load, and only up to {@link BucketTotal#COUNT_LIMIT}: past it the table's
 * row count is what paging has seen so far plus one, so "Next" stays enabled while there are more.
 * After a run, {@link #keepShownPage()} keeps the page's rows (read again by id, so a row that
 * succeeded shows SUCCESS and its new tries even under the Failed filter) until the next refresh,
 * filter or page.
 */
public class BucketRows extends LazyDataModel<BucketRow> {

    private static final int WALK_STEP = ItemPage.MAX_LIMIT;

    private final Buckets buckets;
    private final long deploymentId;
    /** The deployment's time lapse now: a row's due time. */
    private final int timeLapseMinutes;
    private BucketFilter filter;
    private BucketTotal total;
    /** page offset → the cursor that starts it (offset 0 has none) */
    private final TreeMap<Integer, String> cursors = new TreeMap<>();
    private int cursorsPageSize;
    private final Map<String, BucketRow> onPage = new HashMap<>();
    private List<Long> shownIds = List.of();
    private int shownFirst;
    /** the ids of the page kept after a run (null: none kept) */
    private List<Long> kept;

    public BucketRows(Buckets buckets, long deploymentId, int timeLapseMinutes, BucketFilter filter) {
        this.timeLapseMinutes = timeLapseMinutes;
        this.buckets = buckets;
        this.deploymentId = deploymentId;
        this.filter = filter;
    }

    public void filter(BucketFilter filter) {
        this.filter = filter;
        refresh();
    }

    public BucketFilter filter() {
        return filter;
    }

    /** Forgets the count and the cursors: the rows changed. */
    public void refresh() {
        total = null;
        cursors.clear();
        kept = null;
    }

    /** The rows shown now stay (read again by id) on the next load of the same page, whatever the filter says. */
    public void keepShownPage() {
        kept = shownIds;
    }

    /** The filter's total, counted once until the next {@link #refresh()}. */
    public BucketTotal total() {
        if (total == null) {
            total = buckets.count(deploymentId, filter);
        }
        return total;
    }

    @Override
    public int count(Map<String, FilterMeta> filterBy) {
        var t = total();
        if (t.exact()) {
            return (int) t.count();
        }
        long seen = cursors.isEmpty() ? 0 : cursors.lastKey() + 1L; // a known cursor: rows after it exist
        return (int) Math.min(Integer.MAX_VALUE, Math.max(t.count() + 1, seen));
    }

    @Override
    public List<BucketRow> load(int first, int pageSize, Map<String, SortMeta> sortBy, Map<String, FilterMeta> filterBy) {
        if (kept != null && first == shownFirst && pageSize == cursorsPageSize) {
            var byId = new HashMap<Long, BucketRow>();
            buckets.items(deploymentId, kept).forEach(b -> byId.put(b.getId(), BucketRow.of(b, timeLapseMinutes)));
            return show(first, kept.stream().map(byId::get).filter(java.util.Objects::nonNull).toList());
        }
        kept = null;
        if (pageSize != cursorsPageSize) {
            cursors.clear();
            cursorsPageSize = pageSize;
        }
        var page = buckets.slice(deploymentId, filter, pageSize, cursorAt(first));
        if (page.nextCursor() != null) {
            cursors.put(first + pageSize, page.nextCursor());
            setRowCount(count(filterBy)); // the paginator is rendered after this page: let it see the rows after it
        }
        return show(first, page.items().stream().map(b -> BucketRow.of(b, timeLapseMinutes)).toList());
    }

    private List<BucketRow> show(int first, List<BucketRow> rows) {
        onPage.clear();
        rows.forEach(r -> onPage.put(getRowKey(r), r));
        shownIds = rows.stream().map(BucketRow::id).toList();
        shownFirst = first;
        return rows;
    }

    /** The cursor that starts the page at {@code first}; null for the first page (or past the end). */
    String cursorAt(int first) {
        if (first == 0) {
            return null;
        }
        var known = cursors.floorEntry(first);
        int at = known == null ? 0 : known.getKey();
        String cursor = known == null ? null : known.getValue();
        while (at < first) {
            int step = Math.min(WALK_STEP, first - at);
            var page = buckets.slice(deploymentId, filter, step, cursor);
            if (page.nextCursor() == null) {
                return cursor; // fewer rows than first: show what is left
            }
            at += step;
            cursor = page.nextCursor();
        }
        cursors.put(first, cursor);
        return cursor;
    }

    @Override
    public String getRowKey(BucketRow row) {
        return String.valueOf(row.id());
    }

    /** A row of the current page, or any item of this deployment's bucket (a selection kept across pages). */
    @Override
    public BucketRow getRowData(String rowKey) {
        var row = onPage.get(rowKey);
        if (row != null) {
            return row;
        }
        try {
            return buckets.find(Long.parseLong(rowKey)).filter(b -> b.getDeploymentId() == deploymentId)
                    .map(b -> BucketRow.of(b, timeLapseMinutes)).orElse(null);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
