package io.flowretry.connectors.control;

import io.flowretry.kernel.ErrorClass;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpTimeoutException;
import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.sql.SQLTimeoutException;
import java.sql.SQLTransientConnectionException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FailureClassificationTest {

    @Test
    void constraint_and_data_errors_are_data() {
        assertEquals(ErrorClass.DATA, JdbcFailures.classify(new SQLException("null value in column", "23502")));
        assertEquals(ErrorClass.DATA, JdbcFailures.classify(new SQLException("duplicate key", "23505")));
        assertEquals(ErrorClass.DATA, JdbcFailures.classify(new SQLException("value too long", "22001")));
        assertEquals(ErrorClass.DATA, JdbcFailures.classify(new SQLException("column does not exist", "42703")));
        assertEquals(ErrorClass.DATA, JdbcFailures.classify(new SQLIntegrityConstraintViolationException("check")));
    }

    @Test
    void connection_failures_time_outs_and_unknown_codes_are_transient() {
        assertEquals(ErrorClass.TRANSIENT, JdbcFailures.classify(new SQLException("connection refused", "08001")));
        assertEquals(ErrorClass.TRANSIENT, JdbcFailures.classify(new SQLException("deadlock", "40P01")));
        assertEquals(ErrorClass.TRANSIENT, JdbcFailures.classify(new SQLException("canceled", "57014")));
        assertEquals(ErrorClass.TRANSIENT, JdbcFailures.classify(new SQLException("H2 connection broken", "90067")));
        assertEquals(ErrorClass.TRANSIENT, JdbcFailures.classify(new SQLException("no state")));
        assertEquals(ErrorClass.TRANSIENT, JdbcFailures.classify(new SQLTimeoutException("timeout", "23000")));
        assertEquals(ErrorClass.TRANSIENT, JdbcFailures.classify(new SQLTransientConnectionException("gone")));
    }

    @Test
    void jdbc_failure_text_names_what_failed_and_the_sql_state() {
        var e = JdbcFailures.failure("ERP customers: writing source_id 7", new SQLException("NULL not allowed for column \"NAME\"", "23502"));
        assertEquals(ErrorClass.DATA, e.errorClass());
        assertEquals("ERP customers: writing source_id 7: NULL not allowed for column \"NAME\" (SQLState 23502)", e.getMessage());
    }

    @Test
    void http_statuses() {
        assertTrue(HttpFailures.ok(200));
        assertTrue(HttpFailures.ok(204));
        assertFalse(HttpFailures.ok(302));
        assertEquals(ErrorClass.DATA, HttpFailures.classify(400));
        assertEquals(ErrorClass.DATA, HttpFailures.classify(404));
        assertEquals(ErrorClass.DATA, HttpFailures.classify(422));
        assertEquals(ErrorClass.TRANSIENT, HttpFailures.classify(408));
        assertEquals(ErrorClass.TRANSIENT, HttpFailures.classify(429));
        assertEquals(ErrorClass.TRANSIENT, HttpFailures.classify(500));
        assertEquals(ErrorClass.TRANSIENT, HttpFailures.classify(503));
    }

    @Test
    void http_failure_text_quotes_the_first_200_characters_of_the_body() {
        String body = "x".repeat(300);
        var e = HttpFailures.failure(422, body, "ERP PUT /customers/7");
        assertEquals(ErrorClass.DATA, e.errorClass());
        assertEquals("HTTP 422: " + "x".repeat(200) + " (ERP PUT /customers/7)", e.getMessage());
    }

    @Test
    void no_answer_is_transient_and_says_why() {
        var refused = HttpFailures.noAnswer(new ConnectException("Connection refused"), "ERP PUT /customers/7");
        assertEquals(ErrorClass.TRANSIENT, refused.errorClass());
        assertEquals("ERP PUT /customers/7: connection refused (Connection refused)", refused.getMessage());
        var timeout = HttpFailures.noAnswer(new HttpTimeoutException("request timed out"), "CRM GET /contacts");
        assertEquals("CRM GET /contacts: timed out (request timed out)", timeout.getMessage());
        assertEquals(ErrorClass.TRANSIENT, HttpFailures.noAnswer(new IOException(), "x").errorClass());
    }

    @Test
    void http_ids_are_url_encoded_into_paths() {
        assertEquals("/customers/a%2Fb%20c", HttpApp.path("/customers/{id}", "a/b c"));
        assertEquals("/customers", HttpApp.path("/customers", "7"));
    }

    @Test
    void http_ids_order_numerically_when_both_are_integers() {
        assertTrue(HttpSource.ID_ORDER.compare("9", "10") < 0);
        assertTrue(HttpSource.ID_ORDER.compare("a", "b") < 0);
        assertTrue(HttpSource.ID_ORDER.compare("10", "9a") < 0);
        assertEquals(0, HttpSource.ID_ORDER.compare("7", "7"));
    }
}
