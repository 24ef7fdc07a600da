package io.flowretry.connectors.control;

import io.flowretry.connectors.control.UpsertSql.Dialect;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UpsertSqlTest {

    @Test
    void postgres_inserts_and_updates_on_conflict_of_the_key() {
        assertEquals("insert into customers (source_id, email, name) values (?, ?, ?) on conflict (source_id) "
                        + "do update set email = excluded.email, name = excluded.name",
                UpsertSql.upsert(Dialect.POSTGRES, "customers", "source_id", List.of("email", "name")));
    }

    @Test
    void postgres_without_other_columns_does_nothing_on_conflict() {
        assertEquals("insert into t (k) values (?) on conflict (k) do nothing", UpsertSql.upsert(Dialect.POSTGRES, "t", "k", List.of()));
    }

    @Test
    void h2_merges_by_key() {
        assertEquals("merge into customers (source_id, email) key (source_id) values (?, ?)",
                UpsertSql.upsert(Dialect.H2, "customers", "source_id", List.of("email")));
    }

    @Test
    void other_databases_update_first_then_insert() {
        assertEquals("update t set a = ?, b = ? where k = ?", UpsertSql.update("t", "k", List.of("a", "b")));
        assertEquals("insert into t (k, a, b) values (?, ?, ?)", UpsertSql.upsert(Dialect.OTHER, "t", "k", List.of("a", "b")));
        assertNull(UpsertSql.update("t", "k", List.of()));
    }

    @Test
    void dialect_from_product_name() {
        assertEquals(Dialect.POSTGRES, Dialect.of("PostgreSQL"));
        assertEquals(Dialect.H2, Dialect.of("H2"));
        assertEquals(Dialect.OTHER, Dialect.of("Oracle"));
        assertEquals(Dialect.OTHER, Dialect.of(null));
    }

    @Test
    void identifiers_are_plain_names_only() {
        assertTrue(SqlIdentifiers.valid("source_id"));
        assertTrue(SqlIdentifiers.valid("_T1"));
        assertFalse(SqlIdentifiers.valid("1abc"));
        assertFalse(SqlIdentifiers.valid("name; drop table x"));
        assertFalse(SqlIdentifiers.valid("\"quoted\""));
        assertFalse(SqlIdentifiers.valid(""));
        assertFalse(SqlIdentifiers.valid(null));
    }
}
