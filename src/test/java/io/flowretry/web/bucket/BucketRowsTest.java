package io.flowretry.web.bucket;

import io.flowretry.bucket.boundary.Buckets;
import io.flowretry.bucket.control.BucketQueries;
import io.flowretry.bucket.entity.BucketFilter;
import io.flowretry.bucket.entity.BucketTotal;
import io.flowretry.bucket.entity.ItemPage;
import io.flowretry.bucket.entity.BucketItem;
import io.flowretry.bucket.entity.BucketStatus;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class BucketRowsTest {

    /** An in-memory bucket of 120 items s000..s119 that records the queries made. */
    static class FakeBuckets extends Buckets {
        final List<BucketItem> items = IntStream.range(0, 120).mapToObj(FakeBuckets::item).toList();
        int counts;
        long countLimit = BucketTotal.COUNT_LIMIT;
        final List<String> slices = new ArrayList<>();

        static BucketItem item(int i) {
            return new BucketItem(1000L + i, 7, "s%03d".formatted(i), "CRM", Instant.EPOCH);
        }

        @Override
        public BucketTotal count(long deploymentId, BucketFilter filter) {
            counts++;
            return BucketTotal.of(items.stream().filter(i -> matches(i, filter)).count(), countLimit);
        }

        @Override
        public ItemPage slice(long deploymentId, BucketFilter filter, int limit, String cursor) {
            slices.add(limit + "@" + (cursor == null ? "start" : BucketQueries.decodeCursor(cursor)));
            String after = cursor == null ? "" : BucketQueries.decodeCursor(cursor);
            var page = items.stream().filter(i -> matches(i, filter) && i.getSourceId().compareTo(after) > 0).limit(limit + 1L).toList();
            boolean more = page.size() > limit;
            var shown = more ? page.subList(0, limit) : page;
            return new ItemPage(shown, null, more ? BucketQueries.encodeCursor(shown.getLast().getSourceId()) : null);
        }

        final List<List<Long>> byIds = new ArrayList<>();

        @Override
        public List<BucketItem> items(long deploymentId, List<Long> ids) {
            byIds.add(ids);
            return items.stream().filter(i -> ids.contains(i.getId())).toList().reversed(); // in no particular order
        }

        @Override
        public Optional<BucketItem> find(long itemId) {
            return Optional.empty();
        }

        private static boolean matches(BucketItem i, BucketFilter f) {
            return f == null || f.sourceIdPrefix() == null || i.getSourceId().startsWith(f.sourceIdPrefix());
        }
    }

    final FakeBuckets queries = new FakeBuckets();
    final BucketRows rows = new BucketRows(queries, 7, 20, new BucketFilter(null, BucketStatus.FAILED));

    private List<String> load(int first, int size) {
        return rows.load(first, size, Map.of(), Map.of()).stream().map(BucketRow::sourceId).toList();
    }

    @Test
    void pages_forward_and_back_on_cursors_and_counts_once() {
        assertEquals(120, rows.count(Map.of()));
        assertEquals("s000", load(0, 25).getFirst());
        assertEquals(120, rows.count(Map.of()));
        assertEquals("s025", load(25, 25).getFirst());
        assertEquals("s050", load(50, 25).getFirst());
        assertEquals("s025", load(25, 25).getFirst());
        assertEquals(1, queries.counts, "counted once for the filter");
        assertEquals(List.of("25@start", "25@s024", "25@s049", "25@s024"), queries.slices, "every page a keyset slice, no walking");
    }

    @Test
    void a_jump_walks_forward_from_the_nearest_known_page_once() {
        load(0, 25);
        assertEquals(List.of("s100", "s101"), load(100, 25).subList(0, 2));
        assertEquals(List.of("25@start", "75@s024", "25@s099"), queries.slices);
        queries.slices.clear();
        load(100, 25);
        assertEquals(List.of("25@s099"), queries.slices, "the jump's cursor is remembered");
    }

    @Test
    void a_new_filter_or_refresh_counts_again_and_forgets_the_cursors() {
        rows.count(Map.of());
        load(0, 25);
        rows.filter(new BucketFilter("s11", BucketStatus.FAILED));
        assertEquals(10, rows.count(Map.of()));
        assertEquals(2, queries.counts);
        assertEquals("s110", load(0, 25).getFirst());
        rows.refresh();
        rows.count(Map.of());
        assertEquals(3, queries.counts);
        assertNull(rows.cursorAt(0));
    }

    @Test
    void past_the_count_limit_the_row_count_grows_with_the_pages_seen_so_next_stays_enabled() {
        queries.countLimit = 30; // 120 items: "more than 30"
        assertEquals(31, rows.count(Map.of()), "one more than the limit: the paginator offers a next page");
        load(0, 25);
        load(25, 25);
        assertEquals(51, rows.getRowCount(), "after page 2 the rows after it are known to exist");
        load(50, 25);
        load(75, 25);
        assertEquals(101, rows.count(Map.of()));
        assertEquals(List.of("s100", "s119"), List.of(load(100, 25).getFirst(), load(100, 25).getLast()));
        assertEquals(101, rows.count(Map.of()), "the last page adds no cursor: no page after it");
        assertEquals(1, queries.counts);
    }

    @Test
    void after_a_run_the_shown_page_is_read_again_by_id_until_refresh_filter_or_another_page() {
        load(0, 25);
        load(25, 25);
        rows.keepShownPage();
        queries.slices.clear();
        assertEquals("s025", load(25, 25).getFirst(), "the same rows, in the same order, whatever the filter says now");
        assertEquals(List.of(), queries.slices, "no slice: the kept rows by id");
        assertEquals(25, queries.byIds.getLast().size());
        load(0, 25);
        assertEquals(List.of("25@start"), queries.slices, "another page: the filter again");
        load(25, 25);
        assertEquals(2, queries.slices.size(), "no longer kept");
        rows.keepShownPage();
        rows.refresh();
        load(25, 25);
        assertEquals(1, queries.byIds.size(), "refresh forgets the kept page");
    }

    @Test
    void a_row_key_is_the_item_id_and_rows_of_the_page_resolve() {
        var first = rows.load(0, 25, Map.of(), Map.of()).getFirst();
        assertEquals("1000", rows.getRowKey(first));
        assertEquals(first, rows.getRowData("1000"));
        assertNull(rows.getRowData("not-a-number"));
        assertNull(rows.getRowData("12345"), "not on the page and not in this bucket");
    }
}
