package io.flowretry.bucket.control;

import io.flowretry.platform.control.AppDataSource;
import io.flowretry.platform.control.ChunkTransaction;
import io.flowretry.platform.control.InLists;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.transaction.Transactional;

import javax.sql.DataSource;
import java.io.StringReader;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The operators' overrides of a bucket item's input ("edit before resync"), one per item, in the
 * table {@code bucket_overrides} (this class owns its SQL). The next resync of the item re-reads
 * the record from the source and then puts the override's fields over the values read
 * ({@link Override#applyTo}: the override wins, field names matched case-insensitively as the
 * mapping does); a successful resync drops it (in the chunk's transaction, {@link BucketRecorder}),
 * as does a discard.
 */
@ApplicationScoped
public class BucketOverrides {

    /** One item's override: its fields as a JSON object (scalars only), who set it, why and when. */
    public record Override(long itemId, JsonObject fields, String reason, String user, Instant at) {

        /** The record as the mapping sees it: {@code source} with these fields put over it. */
        public Map<String, Object> applyTo(Map<String, Object> source) {
            var merged = new LinkedHashMap<String, Object>(source);
            fields.forEach((name, value) -> {
                merged.keySet().removeIf(key -> key.toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT)));
                merged.put(name, plain(value));
            });
            return merged;
        }

        /** The fields as plain Java values (as a source connector gives them). */
        public Map<String, Object> plainFields() {
            var plain = new LinkedHashMap<String, Object>();
            fields.forEach((name, value) -> plain.put(name, plain(value)));
            return plain;
        }

        private static Object plain(JsonValue value) {
            return switch (value) {
                case JsonString s -> s.getString();
                case JsonNumber n -> n.isIntegral() ? (Object) n.bigDecimalValue().toBigIntegerExact().longValueExact() : n.bigDecimalValue();
                default -> value == JsonValue.TRUE ? Boolean.TRUE : value == JsonValue.FALSE ? Boolean.FALSE : null;
            };
        }
    }

    private static final String COLUMNS = "item_id, fields, reason, user_name, created_at";

    @Resource(lookup = AppDataSource.NAME)
    DataSource dataSource;

    @Inject
    ChunkTransaction chunk;

    public Optional<Override> find(long itemId) {
        try (var c = dataSource.getConnection()) {
            return Optional.ofNullable(load(c, List.of(itemId)).get(itemId));
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot read the override of bucket item " + itemId + ": " + e.getMessage(), e);
        }
    }

    /** Sets (or replaces) the item's override. */
    @Transactional
    public Override put(long itemId, JsonObject fields, String reason, String user, Instant at) {
        try (var c = dataSource.getConnection()) {
            delete(c, List.of(itemId));
            try (var ps = c.prepareStatement("insert into bucket_overrides (" + COLUMNS + ") values (?, ?, ?, ?, ?)")) {
                ps.setLong(1, itemId);
                ps.setString(2, fields.toString());
                ps.setString(3, reason);
                ps.setString(4, user);
                ps.setObject(5, InLists.utc(at));
                ps.executeUpdate();
            }
            return new Override(itemId, fields, reason, user, at);
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot store the override of bucket item " + itemId + ": " + e.getMessage(), e);
        }
    }

    /** Drops the item's override; false if it had none. */
    @Transactional
    public boolean remove(long itemId) {
        try (var c = dataSource.getConnection()) {
            return delete(c, List.of(itemId)) > 0;
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot drop the override of bucket item " + itemId + ": " + e.getMessage(), e);
        }
    }

    /** The overrides of these items, by item id, read in the chunk's transaction (the resync writer). */
    public Map<Long, Override> forChunk(List<Long> itemIds) {
        try (var c = chunk.connection("reading the chunk's overrides")) {
            return load(c, itemIds);
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot read overrides: " + e.getMessage(), e);
        }
    }

    static Map<Long, Override> load(Connection c, List<Long> itemIds) throws SQLException {
        var found = new HashMap<Long, Override>();
        for (var slice : InLists.slices(itemIds, InLists.MAX)) {
            try (var ps = c.prepareStatement("select " + COLUMNS + " from bucket_overrides where item_id in ("
                    + InLists.marks(slice.size()) + ")")) {
                int i = 0;
                for (Long id : slice) {
                    ps.setLong(++i, id);
                }
                try (var rs = ps.executeQuery()) {
                    while (rs.next()) {
                        JsonObject fields;
                        try (var reader = Json.createReader(new StringReader(rs.getString(2)))) {
                            fields = reader.readObject();
                        }
                        found.put(rs.getLong(1), new Override(rs.getLong(1), fields, rs.getString(3), rs.getString(4),
                                rs.getObject(5, OffsetDateTime.class).toInstant()));
                    }
                }
            }
        }
        return found;
    }

    /** Deletes the overrides of these items on {@code c}; how many there were. */
    static int delete(Connection c, List<Long> itemIds) throws SQLException {
        int deleted = 0;
        for (var slice : InLists.slices(itemIds, InLists.MAX)) {
            try (var ps = c.prepareStatement("delete from bucket_overrides where item_id in (" + InLists.marks(slice.size()) + ")")) {
                int i = 0;
                for (Long id : slice) {
                    ps.setLong(++i, id);
                }
                deleted += ps.executeUpdate();
            }
        }
        return deleted;
    }
}
