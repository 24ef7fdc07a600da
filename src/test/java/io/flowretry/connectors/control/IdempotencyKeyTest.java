package io.flowretry.connectors.control;

import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

class IdempotencyKeyTest {

    @Test
    void the_same_deployment_source_id_and_attempt_give_the_same_key_and_any_difference_another() {
        var key = IdempotencyKey.of(7, "c001", "try-2");
        assertEquals(key, IdempotencyKey.of(7, "c001", "try-2"), "a re-send of the same attempt (after a crash) repeats it");
        assertEquals(36, key.length());
        assertEquals(5, Set.of(key, IdempotencyKey.of(8, "c001", "try-2"), IdempotencyKey.of(7, "c002", "try-2"),
                IdempotencyKey.of(7, "c001", "try-3"), IdempotencyKey.of(7, "c001\ntry-2", "")).size());
    }
}
