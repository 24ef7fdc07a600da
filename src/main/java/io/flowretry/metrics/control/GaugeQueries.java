package io.flowretry.metrics.control;

import io.flowretry.bucket.entity.QueueState;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The gauges' reads, in plain JDBC: one grouped count over the due index's leading columns
 * (deployment, queue state) and one index seek per deployment for its oldest due item. Measured at
 * 1,000,000 items in docs/benchmarks.md.
 */
public final class GaugeQueries {

    public record Deployment(long id, String environment, int timeLapseMinutes) {
    }

    /** Items of one deployment by queue state; every state present, zero where none. */
    public record BucketDepth(Deployment deployment, Map<QueueState, Long> byState) {
    }

    private GaugeQueries() {
    }

    /** Live deployments, and undeployed ones whose bucket still holds items. */
    public static List<Deployment> deployments(Connection c) throws SQLException {
        var result = new ArrayList<Deployment>();
        try (var s = c.prepareStatement("select d.id, e.name, d.retry_time_lapse_minutes from deployments d join environments e on e.id = d.environment_id"
                + " where d.undeployed_at is null or exists (select 1 from bucket_items b where b.deployment_id = d.id)"
                + " order by d.id");
             var rs = s.executeQuery()) {
            while (rs.next()) {
                result.add(new Deployment(rs.getLong(1), rs.getString(2), rs.getInt(3)));
            }
        }
        return result;
    }

    public static List<BucketDepth> bucketDepths(Connection c, List<Deployment> deployments) throws SQLException {
        var counts = new HashMap<Long, Map<QueueState, Long>>();
        try (var s = c.prepareStatement("select deployment_id, queue_state, count(*) from bucket_items group by deployment_id, queue_state");
             var rs = s.executeQuery()) {
            while (rs.next()) {
                counts.computeIfAbsent(rs.getLong(1), k -> new HashMap<>()).put(QueueState.valueOf(rs.getString(2)), rs.getLong(3));
            }
        }
        var result = new ArrayList<BucketDepth>();
        for (var d : deployments) {
            var byState = new java.util.EnumMap<QueueState, Long>(QueueState.class);
            var found = counts.getOrDefault(d.id(), Map.of());
            for (var state : QueueState.values()) {
                byState.put(state, found.getOrDefault(state, 0L));
            }
            result.add(new BucketDepth(d, byState));
        }
        return result;
    }

    /**
     * How long the longest-waiting QUEUED item of each deployment has been due (its last attempt plus
     * the deployment's time lapse now, as the claim reads it, on the due index), 0 when none is due: a
     * retry that does not keep up shows here.
     */
    public static Map<Long, Double> oldestDueSeconds(Connection c, List<Deployment> deployments, Instant now) throws SQLException {
        var result = new HashMap<Long, Double>();
        try (var s = c.prepareStatement("select min(last_attempt_at) from bucket_items where deployment_id = ? and queue_state = ?")) {
            for (var d : deployments) {
                s.setLong(1, d.id());
                s.setString(2, QueueState.QUEUED.name());
                try (var rs = s.executeQuery()) {
                    var oldest = rs.next() ? rs.getObject(1, OffsetDateTime.class) : null;
                    double seconds = oldest == null ? 0 : Math.max(0, (now.toEpochMilli() - oldest.toInstant().plusSeconds(60L * d.timeLapseMinutes()).toEpochMilli()) / 1000.0);
                    result.put(d.id(), seconds);
                }
            }
        }
        return result;
    }
}
