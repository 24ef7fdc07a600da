package io.flowretry.connectors.control;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * The {@code Idempotency-Key} of a write: a name-based UUID of the deployment, the source id and the
 * attempt. The same attempt sent again (a chunk redone after a crash before its commit) carries the
 * same key, so a {@code POST} destination can drop the second; the next attempt carries a new one.
 */
public final class IdempotencyKey {

    private IdempotencyKey() {
    }

    /** @param attempt what tells this attempt from the record's others, e.g. {@code try-3} or {@code main-812} */
    public static String of(long deploymentId, String sourceId, String attempt) {
        var name = deploymentId + "\n" + sourceId + "\n" + attempt;
        return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString();
    }
}
