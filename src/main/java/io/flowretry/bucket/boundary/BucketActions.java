package io.flowretry.bucket.boundary;

import io.flowretry.kernel.FieldError;
import io.flowretry.bucket.control.BucketOverrides;
import io.flowretry.bucket.control.BucketQueries;
import io.flowretry.bucket.control.BucketRecorder;
import io.flowretry.bucket.control.Discards;
import io.flowretry.bucket.entity.BucketFilter;
import io.flowretry.bucket.entity.BucketItem;
import io.flowretry.bucket.entity.BucketStatus;
import io.flowretry.bucket.entity.QueueState;
import io.flowretry.kernel.ConflictException;
import io.flowretry.kernel.InvalidInputException;
import io.flowretry.kernel.NotFoundException;
import io.flowretry.platform.boundary.Problem;
import io.flowretry.platform.control.InLists;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;


import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;

/**
 * An operator's actions on records, for the API and the console alike (one set of rules, one set
 * of messages naming the field): discard by ids or by the bucket view's filter, and the override of
 * an item's input. Bad input → {@link InvalidInputException} naming {@code reason}, {@code itemIds},
 * {@code filter.*}, {@code fields} or {@code fields.NAME}; nothing is changed then.
 */
@ApplicationScoped
public class BucketActions {

    /** An operator's override of an item's input: put over the record the next resync reads from the source. */
    public record OverrideView(JsonObject fields, String reason, String user, Instant at) {
        static OverrideView of(BucketOverrides.Override o) {
            return new OverrideView(o.fields(), o.reason(), o.user(), o.at());
        }
    }

    public static final int MAX_IDS = 10_000;
    static final int MAX_FIELDS = 100;
    /** The override's reason goes into the attempt as "override: reason". */
    public static final int MAX_OVERRIDE_REASON = BucketRecorder.MAX_REASON - 10;

    @Inject
    BucketQueries queries;

    @Inject
    Discards discards;

    @Inject
    BucketOverrides overrides;

    @Inject
    Clock clock;

    /** Discards the deployment's FAILED items among {@code itemIds}, a page per transaction; how many. */
    public int discard(long deploymentId, List<Long> itemIds, String user, String reason) {
        var why = reason(reason, BucketRecorder.MAX_REASON, "the records are discarded");
        if (itemIds.isEmpty()) {
            throw new InvalidInputException("itemIds", "must not be empty");
        }
        if (itemIds.size() > MAX_IDS) {
            throw new InvalidInputException("itemIds", "at most " + MAX_IDS + " ids; use a filter for more");
        }
        var ids = itemIds.stream().distinct().toList();
        var known = new HashSet<Long>();
        for (var page : InLists.slices(ids, Discards.PAGE)) {
            queries.items(deploymentId, page).forEach(item -> known.add(item.getId()));
        }
        var unknown = ids.stream().filter(id -> !known.contains(id)).limit(20).toList();
        if (!unknown.isEmpty()) {
            throw new InvalidInputException("itemIds", "not in this deployment's bucket: " + unknown);
        }
        int n = 0;
        for (var page : InLists.slices(ids, Discards.PAGE)) {
            n += discards.discard(deploymentId, page, user, why);
        }
        return n;
    }

    /**
     * Discards the failed items matching the bucket view's filter (its order is ignored): no status,
     * queue state or error class means FAILED; a page per transaction; how many.
     */
    public int discardMatching(long deploymentId, BucketFilter filter, String user, String reason) {
        var errors = new ArrayList<FieldError>();
        String why = null;
        try {
            why = reason(reason, BucketRecorder.MAX_REASON, "the records are discarded");
        } catch (InvalidInputException e) {
            errors.addAll(e.errors());
        }
        if (filter.status() != null && filter.status() != BucketStatus.FAILED) {
            errors.add(new FieldError("filter.status", "must be FAILED: only failed records can be discarded"));
        }
        if (filter.queueState() == QueueState.RESOLVED || filter.queueState() == QueueState.DISCARDED) {
            errors.add(new FieldError("filter.queueState", "must be QUEUED, EXHAUSTED or PARKED: only failed records can be discarded"));
        }
        var failed = new BucketFilter(filter.sourceIdPrefix(),
                filter.status() == null && filter.queueState() == null && filter.errorClass() == null ? BucketStatus.FAILED : filter.status(),
                filter.queueState(), filter.errorClass(), null);
        failed.invalid().ifPresent(invalid -> errors.add(new FieldError("filter." + invalid.field(), invalid.message())));
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        int n = 0;
        String cursor = null;
        do {
            var page = queries.slice(deploymentId, failed, Discards.PAGE, cursor);
            n += discards.discard(deploymentId, page.items().stream().map(BucketItem::getId).toList(), user, why);
            cursor = page.nextCursor();
        } while (cursor != null);
        return n;
    }

    public Optional<OverrideView> override(long itemId) {
        return overrides.find(itemId).map(OverrideView::of);
    }

    /**
     * Sets the item's override (replacing one it had): 404 for an unknown item, 409 for a succeeded
     * one (nothing left to resync), else the fields' and the reason's rules.
     */
    public OverrideView setOverride(long itemId, JsonValue fields, String reason, String user) {
        var errors = new ArrayList<FieldError>();
        if (!(fields instanceof JsonObject object)) {
            errors.add(new FieldError("fields", "must be a JSON object of field names and values, e.g. {\"email\": \"a@example.com\"}"));
        } else {
            if (object.isEmpty()) {
                errors.add(new FieldError("fields", "must name at least one field (remove the override to drop it)"));
            } else if (object.size() > MAX_FIELDS) {
                errors.add(new FieldError("fields", "at most " + MAX_FIELDS + " fields"));
            }
            object.forEach((name, value) -> {
                if (name.isBlank() || name.length() > 200) {
                    errors.add(new FieldError("fields", "a field name must have 1 to 200 characters"));
                } else if (value instanceof JsonObject || value instanceof JsonArray) {
                    errors.add(new FieldError("fields." + name, "must be a string, number, boolean or null"));
                }
            });
            if (object.toString().length() > 60_000) {
                errors.add(new FieldError("fields", "must be at most 60,000 characters of JSON"));
            }
        }
        String why = null;
        try {
            why = reason(reason, MAX_OVERRIDE_REASON, "the record is edited");
        } catch (InvalidInputException e) {
            errors.addAll(e.errors());
        }
        var item = queries.find(itemId).orElseThrow(() -> new NotFoundException("bucket item", itemId));
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        if (item.getStatus() == BucketStatus.SUCCESS) {
            throw new ConflictException("status", "the record succeeded: nothing is left to resync");
        }
        return OverrideView.of(overrides.put(itemId, (JsonObject) fields, why, user, clock.instant()));
    }

    /** Drops the item's override; 404 when the item or its override is unknown. */
    public void dropOverride(long itemId) {
        queries.find(itemId).orElseThrow(() -> new NotFoundException("bucket item", itemId));
        if (!overrides.remove(itemId)) {
            throw new NotFoundException("override of bucket item", itemId);
        }
    }

    private static String reason(String reason, int max, String what) {
        String why = reason == null ? "" : reason.strip();
        if (why.isEmpty()) {
            throw new InvalidInputException("reason", "is required: say why " + what);
        }
        if (why.length() > max) {
            throw new InvalidInputException("reason", "must be at most " + max + " characters");
        }
        return why;
    }

    /** Item ids as numbers or strings of digits, in their order. */
    public static List<Long> itemIds(List<JsonValue> values) {
        if (values.size() > MAX_IDS) {
            throw new InvalidInputException("itemIds", "at most " + MAX_IDS + " ids; use a filter for more");
        }
        var ids = new ArrayList<Long>(values.size());
        for (JsonValue v : values) {
            try {
                if (v instanceof JsonNumber n && n.isIntegral()) {
                    ids.add(n.longValueExact());
                    continue;
                }
                if (v instanceof JsonString s) {
                    ids.add(Long.parseLong(s.getString().trim()));
                    continue;
                }
            } catch (ArithmeticException | NumberFormatException e) {
                // falls through
            }
            throw new InvalidInputException("itemIds", "is not an item id: " + v);
        }
        return ids;
    }
}
