package io.flowretry.bucket.control;

import io.flowretry.platform.control.AppDataSource;
import io.flowretry.bucket.entity.Attempt;
import io.flowretry.bucket.entity.BucketItem;
import io.flowretry.bucket.entity.BucketFilter;
import io.flowretry.bucket.entity.BucketSort;
import io.flowretry.bucket.entity.BucketStatus;
import io.flowretry.bucket.entity.BucketTotal;
import io.flowretry.bucket.entity.ItemPage;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.Query;
import jakarta.transaction.Transactional;

import javax.sql.DataSource;
import java.sql.SQLException;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Reads a deployment's bucket for the API and the console (both through the {@code Buckets} facade;
 * the filter, order, total and page are {@code bucket.entity} values), a page at a time. Every statement is
 * plain SQL built by {@link #pageSql} and {@link #countSql}, the very strings {@code BucketViewPlansTest}
 * (H2) and {@code BucketViewPostgresPlansTest} check against the real schema: each reads an index in the
 * page's order and stops after the page.
 * <ul>
 * <li>Keyset paging, never OFFSET, so page 1,000 costs what page 1 costs: the cursor is the opaque
 * encoding of the last row's sort key and source id. In a sorted order the next page is the rest
 * of the last key's rows ({@code key = k and source_id > s}) and then the rows past it
 * ({@code key < k}): two index ranges, the second only when the page crosses a key (thousands of
 * items share a try count or a chunk's time stamp).</li>
 * <li>Prefix filter: {@code source_id >= prefix and source_id < prefix⁺} (an index range even for a
 * generic prepared plan), plus {@code like 'prefix%'} with {@code %}, {@code _} and {@code \}
 * escaped; in byte order on PostgreSQL ({@code collate "C"}), where a prefix with an equality filter is
 * one range of row values on that filter's index ({@link #equalityAndPrefix}).</li>
 * <li>One equality filter at a time — status, queue state or error class — each with its index
 * {@code (deployment_id, column, source_id)}; the sorted orders only without a prefix: by status with
 * no filter, by time stamp (newest first) and tries (most first) within one status
 * ({@link BucketFilter#invalid()}): those are the orders with an index (V90, V92: the time stamp and
 * tries orders over every status cost the hot path more than they were worth).</li>
 * <li>{@code total} counts the filter (not the cursor) up to {@link BucketTotal#COUNT_LIMIT}: past it the
 * count stops and says "more than". An exact count reads every match (169 ms for 900,000 on
 * PostgreSQL, seconds on H2); the bounded one reads at most 10,001 index entries, whatever the
 * bucket's size.</li>
 * </ul>
 */
@ApplicationScoped
@Transactional
public class BucketQueries {

    /** The column of a sorted order (none for {@link BucketSort#SOURCE_ID}). */
    private static String column(BucketSort sort) {
        return switch (sort) {
            case SOURCE_ID -> null;
            case STATUS -> "status";
            case TIMESTAMP -> "last_attempt_at";
            case TRIES -> "tries";
        };
    }

    private static boolean descending(BucketSort sort) {
        return sort == BucketSort.TIMESTAMP || sort == BucketSort.TRIES;
    }

    private static String sortKey(BucketSort sort, BucketItem item) {
        return switch (sort) {
            case SOURCE_ID -> null;
            case STATUS -> item.getStatus().name();
            case TIMESTAMP -> item.getLastAttemptAt().atOffset(ZoneOffset.UTC).toString();
            case TRIES -> String.valueOf(item.getTries());
        };
    }

    private static Object bindKey(BucketSort sort, String key) {
        return switch (sort) {
            case SOURCE_ID -> null;
            case STATUS -> key;
            case TIMESTAMP -> OffsetDateTime.parse(key);
            case TRIES -> Integer.parseInt(key);
        };
    }

    /**
     * The first key value past {@code key} in this order, as an inclusive bound (null: none). Not
     * {@code key < k}: H2 starts a strict range at the first row equal to {@code k} and reads
     * every row of that key before the range begins (29,051 rows for a page past FAILED).
     */
    private static Object past(BucketSort sort, String key) {
        return switch (sort) {
            case SOURCE_ID -> null;
            case STATUS -> Arrays.stream(BucketStatus.values()).map(Enum::name).filter(n -> n.compareTo(key) > 0)
                    .sorted().findFirst().orElse(null);
            case TIMESTAMP -> OffsetDateTime.parse(key).minusNanos(1_000); // both databases keep microseconds
            case TRIES -> Integer.parseInt(key) - 1;
        };
    }

    /** A condition every item meets: the sort's index gets a range and wins over the foreign key's (see {@link #where}). */
    private static Object lowest(BucketSort sort) {
        return switch (sort) {
            case SOURCE_ID, STATUS -> "";
            case TIMESTAMP -> OffsetDateTime.parse("1970-01-01T00:00Z");
            case TRIES -> 0;
        };
    }

    /** The one equality the WHERE clause puts before the order: a column and its value, or null. */
    private static String[] equality(BucketFilter filter) {
        if (filter.queueState() != null) {
            return new String[]{"queue_state", filter.queueState().name()};
        }
        if (filter.errorClass() != null) {
            return new String[]{"error_class", filter.errorClass().name()}; // only failed items have one: the status adds nothing
        }
        return filter.status() == null ? null : new String[]{"status", filter.status().name()};
    }

    /** A statement and its positional parameters ({@code ?1}, {@code ?2}, … in order). */
    public record Sql(String text, List<Object> parameters) {
    }

    /** Where a page starts: after the item with this sort key ({@code null} for {@link BucketSort#SOURCE_ID}) and source id. */
    public record Cursor(BucketSort sort, String key, String sourceId) {

        static Cursor after(BucketSort sort, BucketItem last) {
            return new Cursor(sort, sortKey(sort, last), last.getSourceId());
        }

        public String encode() {
            String text = sort == BucketSort.SOURCE_ID ? "s:" + sourceId : "o:" + sort.name() + "|" + key + "|" + sourceId;
            return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
        }

        /** @throws IllegalArgumentException if it is not a cursor of {@link #encode} */
        public static Cursor decode(String cursor) {
            String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            if (text.startsWith("s:")) {
                return new Cursor(BucketSort.SOURCE_ID, null, text.substring(2));
            }
            if (text.startsWith("o:")) {
                var parts = text.substring(2).split("\\|", 3);
                if (parts.length == 3) {
                    var sort = BucketSort.valueOf(parts[0]);
                    try {
                        bindKey(sort, parts[1]);
                    } catch (RuntimeException e) {
                        throw new IllegalArgumentException("not a bucket cursor", e);
                    }
                    return new Cursor(sort, parts[1], parts[2]);
                }
            }
            throw new IllegalArgumentException("not a bucket cursor");
        }
    }

    @PersistenceContext
    EntityManager em;

    @Resource(lookup = AppDataSource.NAME)
    DataSource dataSource;

    private volatile Boolean postgres;

    /**
     * @param cursor a {@link ItemPage#nextCursor()} of the same filter, or null for the first page
     * @throws IllegalArgumentException if the cursor is not one this class made, or of another order
     */
    public ItemPage page(long deploymentId, BucketFilter filter, int limit, String cursor) {
        var slice = slice(deploymentId, filter, limit, cursor);
        return new ItemPage(slice.items(), count(deploymentId, filter), slice.nextCursor());
    }

    /**
     * A page without its total, for callers that count once per filter rather than per page (the
     * console's lazy table).
     */
    public ItemPage slice(long deploymentId, BucketFilter filter, int limit, String cursor) {
        var f = filter == null ? new BucketFilter(null, null) : filter;
        var after = cursor == null || cursor.isBlank() ? null : Cursor.decode(cursor);
        if (after != null && after.sort() != f.order()) {
            throw new IllegalArgumentException("a cursor of another sort order");
        }
        readIndexesInOrder();
        var items = new ArrayList<BucketItem>(run(pageSql(deploymentId, f, after, limit + 1, isPostgres())));
        if (after != null && after.key() != null && items.size() <= limit) { // the rest of the last key's rows, then past it
            items.addAll(run(pageSql(deploymentId, f, new Cursor(after.sort(), after.key(), null), limit + 1 - items.size(), isPostgres())));
        }
        boolean more = items.size() > limit;
        var page = more ? items.subList(0, limit) : items;
        return new ItemPage(List.copyOf(page), null, more ? Cursor.after(f.order(), page.getLast()).encode() : null);
    }

    @SuppressWarnings("unchecked")
    private List<BucketItem> run(Sql sql) {
        return bind(em.createNativeQuery(sql.text(), BucketItem.class), sql).getResultList();
    }

    /** The filter's total, bounded by {@link BucketTotal#COUNT_LIMIT}. */
    public BucketTotal count(long deploymentId, BucketFilter filter) {
        readIndexesInOrder();
        var sql = countSql(deploymentId, filter, BucketTotal.COUNT_LIMIT, isPostgres());
        long counted = ((Number) bind(em.createNativeQuery(sql.text()), sql).getSingleResult()).longValue();
        return BucketTotal.of(counted, BucketTotal.COUNT_LIMIT);
    }

    /** The deployment's items of these ids, in no particular order (ids of other deployments are left out). */
    public List<BucketItem> items(long deploymentId, List<Long> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        return em.createQuery("select b from BucketItem b where b.deploymentId = :deployment and b.id in :ids", BucketItem.class)
                .setParameter("deployment", deploymentId).setParameter("ids", ids).getResultList();
    }

    public Optional<BucketItem> find(long itemId) {
        return Optional.ofNullable(em.find(BucketItem.class, itemId));
    }

    /** An item's attempts, oldest first. */
    public List<Attempt> attempts(long itemId) {
        return em.createQuery("select a from Attempt a where a.itemId = :item order by a.attemptedAt, a.id", Attempt.class)
                .setParameter("item", itemId).getResultList();
    }

    /** The PostgreSQL settings of {@link #readIndexesInOrder}, which BucketViewPostgresPlansTest plans with too. */
    static final List<String> READ_IN_ORDER = List.of("enable_bitmapscan = off", "enable_sort = off", "enable_incremental_sort = off");

    /**
     * On PostgreSQL, for this read-only transaction only: no bitmap scan, no sort (nor an incremental
     * one: on another index starting with the filter's column it sorts each value's items). Right after a
     * bulk write (a main run's 1,000,000 failures) the table has no statistics yet — autovacuum had
     * not analyzed it minutes later — and the planner, estimating 101 rows, read all 433,159 of the
     * deployment's items through a bitmap and sorted them for each page (981 ms; 0.17 ms on the
     * index in order once analyzed). The statements are written for the index-ordered plan
     * (BucketViewPlansTest), so the planner is kept to it whatever its estimates. H2 has no such
     * settings and needs none (its plans are checked by the test).
     */
    private void readIndexesInOrder() {
        if (isPostgres()) {
            for (var setting : READ_IN_ORDER) {
                em.createNativeQuery("set local " + setting).executeUpdate();
            }
        }
    }

    private boolean isPostgres() {
        if (postgres == null) {
            try (var connection = dataSource.getConnection()) {
                postgres = connection.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT).contains("postgres");
            } catch (SQLException e) {
                throw new IllegalStateException("Cannot reach the database: " + e.getMessage(), e);
            }
        }
        return postgres;
    }

    private static Query bind(Query query, Sql sql) {
        for (int i = 0; i < sql.parameters().size(); i++) {
            query.setParameter(i + 1, sql.parameters().get(i));
        }
        return query;
    }

    /**
     * A page of {@code rows} rows after {@code after} (null = from the start; a cursor with a key
     * but no source id = the rows past that key). The ORDER BY names the index's leading columns,
     * fixed by the WHERE clause (deployment, the equality filter): H2 only reads an index in order,
     * and stops after the page, when the ORDER BY starts with its columns, in its directions;
     * otherwise it sorts every match of the filter for every page.
     */
    public static Sql pageSql(long deploymentId, BucketFilter filter, Cursor after, int rows, boolean postgres) {
        var f = filter == null ? new BucketFilter(null, null) : filter;
        var sort = f.order();
        var sql = where("select * from bucket_items", deploymentId, f, sort == BucketSort.SOURCE_ID,
                sort == BucketSort.SOURCE_ID && after != null ? after.sourceId() : null, postgres);
        if (sort != BucketSort.SOURCE_ID) {
            String column = column(sort);
            if (after == null) {
                sql.add(" and " + column + " >= ?", lowest(sort));
            } else if (after.sourceId() != null) {
                sql.add(" and " + column + " = ?", bindKey(sort, after.key()));
                sql.add(" and source_id > ?", after.sourceId());
            } else {
                var past = past(sort, after.key());
                if (past == null) {
                    sql.text().append(" and 1 = 0"); // nothing past the last key
                } else {
                    sql.add(" and " + column + (descending(sort) ? " <= ?" : " >= ?"), past);
                }
            }
        }
        sql.text().append(orderBy(f, sort)).append(" fetch first ").append(rows).append(" rows only");
        return sql.done();
    }

    /**
     * Counts the filter's matches up to {@code limit} + 1: the inner query stops reading there. Its
     * ORDER BY is the page's source id order, which rules out the indexes that do not read in it:
     * without one, PostgreSQL without statistics costed every index starting with the filter's column
     * alike and took {@code (deployment_id, status, tries, source_id)}, where a Source ID prefix bounds
     * nothing, reading every FAILED item to count a prefix's (37 ms at 1,000,000 items, 5 ms on the
     * status index; BucketViewPostgresPlansTest).
     */
    public static Sql countSql(long deploymentId, BucketFilter filter, int limit, boolean postgres) {
        var f = filter == null ? new BucketFilter(null, null) : filter;
        var sql = where("select 1 from bucket_items", deploymentId, f, true, null, postgres);
        sql.text().insert(0, "select count(*) from (").append(orderBy(f, BucketSort.SOURCE_ID))
                .append(" fetch first ").append(limit + 1).append(" rows only) matches");
        return sql.done();
    }

    /** The leading columns of the index a statement reads in this order: the deployment, the equality filter's column, the sort's. */
    private static String orderBy(BucketFilter filter, BucketSort sort) {
        var order = new StringBuilder(" order by deployment_id");
        if (equality(filter) != null) {
            order.append(", ").append(equality(filter)[0]);
        }
        if (sort != BucketSort.SOURCE_ID) {
            order.append(", ").append(column(sort)).append(descending(sort) ? " desc" : "");
        }
        return order.append(", source_id").toString();
    }

    private record Builder(StringBuilder text, List<Object> parameters) {
        /** Appends {@code condition}, each of its {@code ?} numbered as the next parameter, bound to the next value. */
        void add(String condition, Object... values) {
            var parts = condition.split("\\?", -1);
            text.append(parts[0]);
            for (int i = 0; i < values.length; i++) {
                parameters.add(values[i]);
                text.append('?').append(parameters.size()).append(parts[i + 1]);
            }
        }

        Sql done() {
            return new Sql(text.toString(), List.copyOf(parameters));
        }
    }

    /**
     * @param bySourceId whether the statement reads an index by source id (a sorted page reads its sort's index)
     * @param after      the source id a page in source id order starts after, or null
     */
    private static Builder where(String select, long deploymentId, BucketFilter filter, boolean bySourceId, String after,
                                 boolean postgres) {
        var sql = new Builder(new StringBuilder(select).append(" where deployment_id = ?1"), new ArrayList<>(List.of(deploymentId)));
        var equality = equality(filter);
        String prefix = filter.prefix();
        if (postgres && equality != null && prefix != null) {
            return equalityAndPrefix(sql, equality, prefix, after);
        }
        if (equality != null) {
            sql.add(" and " + equality[0] + " = ?", equality[1]);
        }
        if (bySourceId || prefix != null) {
            // the lower bound even without a prefix ('' is below every id): with a condition on the source id too,
            // H2 costs the (deployment_id[, column], source_id) index below the foreign key's own index on
            // deployment_id alone, which it otherwise picks once the table has statistics, and then reads and sorts
            // every item of the deployment for each page (a sorted order gets its own such range in pageSql)
            sql.add(" and source_id >= ?", prefix == null ? "" : prefix);
        }
        if (prefix != null) {
            like(sql, prefix);
            String upper = upperBound(prefix);
            if (upper != null) {
                sql.add(" and source_id < ?", upper);
            }
        }
        if (after != null) {
            sql.add(" and source_id > ?", after);
        }
        return sql;
    }

    /**
     * On PostgreSQL an equality filter with a Source ID prefix is one range of row values on the
     * filter's index, {@code (column, source_id)} from {@code (value, prefix)} (or past a cursor within it) to
     * {@code (value, prefix⁺)}: no other index can read it in the ORDER BY's order. With
     * {@code column = value} the column is a constant, the unique {@code (deployment_id, source_id)}
     * index gives the same order, and a planner without statistics (a bucket a main run has just
     * filled) takes either: on the unique one a rare status within a common prefix reads the whole
     * prefix. H2 would bound such a range by the column alone, so it keeps the plain conditions.
     */
    private static Builder equalityAndPrefix(Builder sql, String[] equality, String prefix, String after) {
        String pair = " and (" + equality[0] + ", source_id)";
        if (after != null && Arrays.compareUnsigned(after.getBytes(StandardCharsets.UTF_8), prefix.getBytes(StandardCharsets.UTF_8)) >= 0) {
            sql.add(pair + " > (?, ?)", equality[1], after); // byte order, as collate "C" compares
        } else {
            sql.add(pair + " >= (?, ?)", equality[1], prefix);
        }
        String upper = upperBound(prefix);
        if (upper != null) {
            sql.add(pair + " < (?, ?)", equality[1], upper);
        } else {
            sql.add(" and " + equality[0] + " <= ?", equality[1]); // with the lower bound: the column is the value
        }
        like(sql, prefix);
        return sql;
    }

    private static void like(Builder sql, String prefix) {
        sql.add(" and source_id like ?", likePattern(prefix));
        sql.text().append(" escape '\\'");
    }

    /** {@code prefix%} with the LIKE wildcards and the escape character escaped by {@code \}. */
    static String likePattern(String prefix) {
        return prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
    }

    /** The smallest string above every string starting with {@code prefix}; null if there is none. */
    static String upperBound(String prefix) {
        for (int i = prefix.length() - 1; i >= 0; i--) {
            char c = prefix.charAt(i);
            if (c != Character.MAX_VALUE && !Character.isSurrogate(c)) {
                return prefix.substring(0, i) + (char) (c + 1);
            }
        }
        return null;
    }

    public static String encodeCursor(String lastSourceId) {
        return new Cursor(BucketSort.SOURCE_ID, null, lastSourceId).encode();
    }

    /**
     * The source id a cursor starts after.
     *
     * @throws IllegalArgumentException if it is not a cursor of {@link Cursor#encode}
     */
    public static String decodeCursor(String cursor) {
        return Cursor.decode(cursor).sourceId();
    }
}
