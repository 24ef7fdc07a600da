package io.flowretry.bucket.control;

import io.flowretry.bucket.entity.Attempt;
import io.flowretry.bucket.entity.BucketItem;
import io.flowretry.bucket.entity.BucketStatus;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.Query;
import jakarta.transaction.Transactional;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Reads a deployment's bucket for the API and the console, a page at a time in source id order.
 * Every statement is plain SQL built by {@link #pageSql} and {@link #countSql}, the very strings
 * {@code BucketViewPlansTest} checks against the real schema.
 * <ul>
 * <li>Keyset paging: the cursor is the opaque encoding of the last source id of a page; the next
 * page is {@code source_id > it} — never OFFSET, so page 1,000 costs what page 1 costs.</li>
 * <li>Prefix filter: {@code source_id >= prefix and source_id < prefix⁺} (an index range even for a
 * generic prepared plan), plus {@code like 'prefix%'} with {@code %}, {@code _} and {@code \}
 * escaped; the unique index (deployment_id, source_id) or, with a status, (deployment_id, status,
 * source_id) serves both, in byte order on PostgreSQL ({@code collate "C"}).</li>
 * <li>{@code total} counts the filter (not the cursor) up to {@link #COUNT_LIMIT}: past it the
 * count stops and says "more than". An exact count reads every match (169 ms for 900,000 on
 * PostgreSQL, seconds on H2); the bounded one reads at most 10,001 index entries, whatever the
 * bucket's size.</li>
 * </ul>
 */
@ApplicationScoped
@Transactional
public class BucketQueries {

    public static final int DEFAULT_LIMIT = 50;
    public static final int MAX_LIMIT = 500;
    /** Counts stop here: a total above it is shown as "more than 10,000". */
    public static final int COUNT_LIMIT = 10_000;

    /** What to show: source ids starting with {@code sourceIdPrefix} (null/empty = all), of {@code status} (null = both). */
    public record Filter(String sourceIdPrefix, BucketStatus status) {

        String prefix() {
            return sourceIdPrefix == null || sourceIdPrefix.isEmpty() ? null : sourceIdPrefix;
        }
    }

    /** How many items match a filter: {@code count} exactly, or more than {@code count} when not {@code exact}. */
    public record Total(long count, boolean exact) implements Serializable {

        public static Total of(long counted, long limit) {
            return counted > limit ? new Total(limit, false) : new Total(counted, true);
        }

        /** "1,234" or "more than 10,000". */
        public String text() {
            return (exact ? "" : "more than ") + String.format(Locale.ROOT, "%,d", count);
        }
    }

    /** One page: its items, the filter's total (null for a slice), and the cursor of the next page (null on the last). */
    public record Page(List<BucketItem> items, Total total, String nextCursor) {
    }

    /** A statement and its positional parameters ({@code ?1}, {@code ?2}, … in order). */
    public record Sql(String text, List<Object> parameters) {
    }

    @PersistenceContext
    EntityManager em;

    /**
     * @param cursor a {@link Page#nextCursor()} of the same filter, or null for the first page
     * @throws IllegalArgumentException if the cursor is not one this class made
     */
    public Page page(long deploymentId, Filter filter, int limit, String cursor) {
        var slice = slice(deploymentId, filter, limit, cursor);
        return new Page(slice.items(), count(deploymentId, filter), slice.nextCursor());
    }

    /**
     * A page without its total, for callers that count once per filter rather than per page (the
     * console's lazy table).
     */
    public Page slice(long deploymentId, Filter filter, int limit, String cursor) {
        String after = cursor == null || cursor.isBlank() ? null : decodeCursor(cursor);
        var sql = pageSql(deploymentId, filter, after, limit + 1);
        @SuppressWarnings("unchecked")
        List<BucketItem> items = bind(em.createNativeQuery(sql.text(), BucketItem.class), sql).getResultList();
        boolean more = items.size() > limit;
        var page = more ? items.subList(0, limit) : items;
        return new Page(List.copyOf(page), null, more ? encodeCursor(page.get(page.size() - 1).getSourceId()) : null);
    }

    /** The filter's total, bounded by {@link #COUNT_LIMIT}. */
    public Total count(long deploymentId, Filter filter) {
        var sql = countSql(deploymentId, filter, COUNT_LIMIT);
        long counted = ((Number) bind(em.createNativeQuery(sql.text()), sql).getSingleResult()).longValue();
        return Total.of(counted, COUNT_LIMIT);
    }

    public Optional<BucketItem> find(long itemId) {
        return Optional.ofNullable(em.find(BucketItem.class, itemId));
    }

    /** An item's attempts, oldest first. */
    public List<Attempt> attempts(long itemId) {
        return em.createQuery("select a from Attempt a where a.itemId = :item order by a.attemptedAt, a.id", Attempt.class)
                .setParameter("item", itemId).getResultList();
    }

    private static Query bind(Query query, Sql sql) {
        for (int i = 0; i < sql.parameters().size(); i++) {
            query.setParameter(i + 1, sql.parameters().get(i));
        }
        return query;
    }

    /**
     * A page of {@code rows} rows after the source id {@code after} (null = from the start). The
     * ORDER BY names the index's leading columns, fixed by the WHERE clause (deployment, status): H2
     * only reads an index in order, and stops after the page, when the ORDER BY starts with its
     * columns; otherwise it sorts every match of the filter for every page.
     */
    public static Sql pageSql(long deploymentId, Filter filter, String after, int rows) {
        var sql = where("select * from bucket_items", deploymentId, filter);
        if (after != null) {
            sql.parameters().add(after);
            sql.text().append(" and source_id > ?").append(sql.parameters().size());
        }
        sql.text().append(filter != null && filter.status() != null
                ? " order by deployment_id, status, source_id" : " order by deployment_id, source_id");
        sql.text().append(" fetch first ").append(rows).append(" rows only");
        return sql.done();
    }

    /** Counts the filter's matches up to {@code limit} + 1: the inner query stops reading there. */
    public static Sql countSql(long deploymentId, Filter filter, int limit) {
        var sql = where("select 1 from bucket_items", deploymentId, filter);
        sql.text().insert(0, "select count(*) from (").append(" fetch first ").append(limit + 1).append(" rows only) matches");
        return sql.done();
    }

    private record Builder(StringBuilder text, List<Object> parameters) {
        Sql done() {
            return new Sql(text.toString(), List.copyOf(parameters));
        }
    }

    private static Builder where(String select, long deploymentId, Filter filter) {
        var sql = new Builder(new StringBuilder(select).append(" where deployment_id = ?1"), new ArrayList<>(List.of(deploymentId)));
        if (filter != null && filter.status() != null) {
            sql.parameters().add(filter.status().name());
            sql.text().append(" and status = ?").append(sql.parameters().size());
        }
        String prefix = filter == null ? null : filter.prefix();
        // the lower bound even without a prefix ('' is below every id): with a condition on the source id too,
        // H2 costs the (deployment_id[, status], source_id) index below the foreign key's own index on
        // deployment_id alone, which it otherwise picks once the table has statistics, and then reads and sorts
        // every item of the deployment for each page
        sql.parameters().add(prefix == null ? "" : prefix);
        sql.text().append(" and source_id >= ?").append(sql.parameters().size());
        if (prefix != null) {
            sql.parameters().add(likePattern(prefix));
            sql.text().append(" and source_id like ?").append(sql.parameters().size()).append(" escape '\\'");
            String upper = upperBound(prefix);
            if (upper != null) {
                sql.parameters().add(upper);
                sql.text().append(" and source_id < ?").append(sql.parameters().size());
            }
        }
        return sql;
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
        return Base64.getUrlEncoder().withoutPadding().encodeToString(("s:" + lastSourceId).getBytes(StandardCharsets.UTF_8));
    }

    /** @throws IllegalArgumentException if it is not a cursor of {@link #encodeCursor} */
    public static String decodeCursor(String cursor) {
        String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
        if (!text.startsWith("s:")) {
            throw new IllegalArgumentException("not a bucket cursor");
        }
        return text.substring(2);
    }
}
