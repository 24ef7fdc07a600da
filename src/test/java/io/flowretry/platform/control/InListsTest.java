package io.flowretry.platform.control;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class InListsTest {

    @Test
    void slices_keep_order_and_the_last_one_takes_the_rest() {
        var ids = IntStream.rangeClosed(1, 1201).boxed().toList();
        var slices = InLists.slices(ids, 500);
        assertEquals(List.of(500, 500, 201), slices.stream().map(List::size).toList());
        assertEquals(1, slices.get(0).getFirst());
        assertEquals(501, slices.get(1).getFirst());
        assertEquals(1201, slices.get(2).getLast());
        assertEquals(ids, slices.stream().flatMap(List::stream).toList());
    }

    @Test
    void an_exact_multiple_and_an_empty_list() {
        assertEquals(List.of(List.of(1, 2), List.of(3, 4)), InLists.slices(List.of(1, 2, 3, 4), 2));
        assertEquals(List.of(), InLists.slices(List.of(), 500));
        assertThrows(IllegalArgumentException.class, () -> InLists.slices(List.of(1), 0));
    }

    @Test
    void marks_one_per_parameter() {
        assertEquals("?", InLists.marks(1));
        assertEquals("?,?,?", InLists.marks(3));
    }
}
