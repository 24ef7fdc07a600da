package io.flowretry.bucket.control;

import io.flowretry.bucket.entity.Attempt;
import io.flowretry.bucket.entity.BucketItem;
import io.flowretry.bucket.entity.BucketStatus;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.TypedQuery;
import jakarta.transaction.Transactional;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * Reads a deployment's bucket for the API and the console, a page at a time in source id order.
 * <ul>
 * <li>Keyset paging: the cursor is the opaque encoding of the last source id of a page; the next
 * page is {@code source_id > it} — never OFFSET, so page 1,000 costs what page 1 costs.</li>
 * <li>Prefix filter: {@code source_id >= prefix and source_id < prefix⁺} (an index range even for a
 * generic prepared plan), plus {@code like 'prefix%'} with {@code %}, {@code _} and {@code \}
 * escaped; the unique index (deployment_id, source_id) or, with a status, (deployment_id, status,
 * source_id) serves both, in byte order on PostgreSQL ({@code collate "C"}).</li>
 * <li>{@code total} counts the whole filter (not the cursor).</li>
 * </ul>
 */
@ApplicationScoped
@Transactional
public class BucketQueries {

    public static final int DEFAULT_LIMIT = 50;
    public static final int MAX_LIMIT = 500;

    /** What to show: source ids starting with {@code sourceIdPrefix} (null/empty = all), of {@code status} (null = both). */
    public record Filter(String sourceIdPrefix, BucketStatus status) {
    }

    /** One page: its items, the filter's total, and the cursor of the next page (null on the last). */
    public record Page(List<BucketItem> items, long total, String nextCursor) {
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
     * A page without its total ({@code total} = -1), for callers that count once per filter rather
     * than per page (the console's lazy table).
     */
    public Page slice(long deploymentId, Filter filter, int limit, String cursor) {
        String after = cursor == null || cursor.isBlank() ? null : decodeCursor(cursor);
        var items = query(deploymentId, filter, after, "select b from BucketItem b", BucketItem.class, true)
                .setMaxResults(limit + 1).getResultList();
        boolean more = items.size() > limit;
        var page = more ? items.subList(0, limit) : items;
        return new Page(List.copyOf(page), -1, more ? encodeCursor(page.get(page.size() - 1).getSourceId()) : null);
    }

    public long count(long deploymentId, Filter filter) {
        return query(deploymentId, filter, null, "select count(b) from BucketItem b", Long.class, false).getSingleResult();
    }

    public Optional<BucketItem> find(long itemId) {
        return Optional.ofNullable(em.find(BucketItem.class, itemId));
    }

    /** An item's attempts, oldest first. */
    public List<Attempt> attempts(long itemId) {
        return em.createQuery("select a from Attempt a where a.itemId = :item order by a.attemptedAt, a.id", Attempt.class)
                .setParameter("item", itemId).getResultList();
    }

    /**
     * @param ordered in source id order. The ORDER BY names the index's leading columns, fixed by
     *                the WHERE clause (deployment, status): H2 only reads an index in order, and
     *                stops after the page, when the ORDER BY starts with its columns; otherwise it
     *                sorts every match of the filter for every page.
     */
    private <T> TypedQuery<T> query(long deploymentId, Filter filter, String after, String select, Class<T> type, boolean ordered) {
        String prefix = filter == null || filter.sourceIdPrefix() == null || filter.sourceIdPrefix().isEmpty() ? null : filter.sourceIdPrefix();
        BucketStatus status = filter == null ? null : filter.status();
        String upper = prefix == null ? null : upperBound(prefix);
        var jpql = new StringBuilder(select).append(" where b.deploymentId = :deployment");
        if (status != null) {
            jpql.append(" and b.status = :status");
        }
        if (prefix != null) {
            jpql.append(" and b.sourceId >= :lower and b.sourceId like :pattern escape '\\'");
            if (upper != null) {
                jpql.append(" and b.sourceId < :upper");
            }
        }
        if (after != null) {
            jpql.append(" and b.sourceId > :after");
        }
        if (ordered) {
            jpql.append(status == null ? " order by b.deploymentId, b.sourceId" : " order by b.deploymentId, b.status, b.sourceId");
        }
        var query = em.createQuery(jpql.toString(), type).setParameter("deployment", deploymentId);
        if (status != null) {
            query.setParameter("status", status);
        }
        if (prefix != null) {
            query.setParameter("lower", prefix).setParameter("pattern", likePattern(prefix));
            if (upper != null) {
                query.setParameter("upper", upper);
            }
        }
        if (after != null) {
            query.setParameter("after", after);
        }
        return query;
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
