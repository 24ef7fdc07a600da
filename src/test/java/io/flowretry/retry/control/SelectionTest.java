package io.flowretry.retry.control;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SelectionTest {

    @Test
    void chosen_ids_are_kept_sorted_and_distinct_and_survive_the_json_round_trip() {
        var selection = Selection.ids(List.of(30L, 10L, 20L, 10L));
        assertEquals(List.of(10L, 20L, 30L), selection.itemIds());
        assertEquals("{\"itemIds\":[10,20,30]}", selection.toJson());
        assertEquals(selection, Selection.fromJson(selection.toJson()));
    }

    @Test
    void a_filter_defaults_to_failed_items_of_every_source_id() {
        var selection = Selection.filter(null, null);
        assertEquals("", selection.sourceIdPrefix());
        assertEquals("FAILED", selection.status());
        assertEquals("%", selection.likePattern());
        assertEquals(selection, Selection.fromJson(selection.toJson()));
    }

    @Test
    void success_items_are_resynced_only_when_asked_for() {
        var selection = Selection.fromJson(Selection.filter("c0", "SUCCESS").toJson());
        assertEquals(Selection.Mode.FILTER, selection.mode());
        assertEquals("SUCCESS", selection.status());
        assertEquals("c0", selection.sourceIdPrefix());
    }

    @Test
    void like_wildcards_in_the_prefix_match_literally() {
        assertEquals("a!%b!_c!!d%", Selection.filter("a%b_c!d", null).likePattern());
    }

    @Test
    void no_selection_means_the_due_items() {
        assertEquals(Selection.Mode.DUE, Selection.fromJson(null).mode());
        assertEquals(Selection.due(), Selection.fromJson(Selection.due().toJson()));
    }
}
