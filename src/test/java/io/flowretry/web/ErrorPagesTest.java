package io.flowretry.web;

import io.flowretry.kernel.NotFoundException;
import jakarta.faces.FacesException;
import jakarta.faces.application.ViewExpiredException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ErrorPagesTest {

    @Test
    void a_failure_is_answered_by_its_cause_never_by_its_text() {
        assertEquals(403, ErrorPages.statusOf(new FacesException(new jakarta.el.ELException(new SecurityException("admin needs admin")))));
        assertEquals(410, ErrorPages.statusOf(new ViewExpiredException("expired", "/bucket/view.xhtml")));
        assertEquals(404, ErrorPages.statusOf(new FacesException(new NotFoundException("deployment", 7L))));
        assertEquals(500, ErrorPages.statusOf(new IllegalStateException("boom")));
    }
}
