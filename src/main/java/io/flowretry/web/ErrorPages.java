package io.flowretry.web;

import jakarta.faces.FacesException;
import jakarta.faces.application.ViewExpiredException;
import jakarta.faces.context.ExceptionHandler;
import jakarta.faces.context.ExceptionHandlerFactory;
import jakarta.faces.context.ExceptionHandlerWrapper;
import jakarta.faces.context.FacesContext;
import jakarta.faces.event.PhaseEvent;
import jakarta.faces.event.PhaseId;
import jakarta.faces.event.PhaseListener;

import java.io.IOException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Console failures end on a page that names no exception: a missing role on a postback is 403, view
 * parameters that do not convert ({@code ?deployment=abc}) are 404, an expired view is 410 with "your
 * page expired, reload" — each the static page web.xml maps to the status — and anything else is 500
 * (the exception goes to the server log only).
 */
public final class ErrorPages {

    private static final Logger LOG = Logger.getLogger(ErrorPages.class.getName());

    private ErrorPages() {
    }

    /** Registered in faces-config.xml. */
    public static class Factory extends ExceptionHandlerFactory {
        public Factory(ExceptionHandlerFactory wrapped) {
            super(wrapped);
        }

        @Override
        public ExceptionHandler getExceptionHandler() {
            return new Handler(getWrapped().getExceptionHandler());
        }
    }

    static class Handler extends ExceptionHandlerWrapper {
        Handler(ExceptionHandler wrapped) {
            super(wrapped);
        }

        @Override
        public void handle() throws FacesException {
            var events = getUnhandledExceptionQueuedEvents().iterator();
            if (!events.hasNext()) {
                super.handle();
                return;
            }
            var faces = FacesContext.getCurrentInstance();
            Throwable failure = events.next().getContext().getException();
            events.remove();
            while (events.hasNext()) {
                events.next();
                events.remove();
            }
            int status = statusOf(failure);
            if (status == 500) {
                LOG.log(Level.SEVERE, "Console page failed", failure);
            }
            sendError(faces, status);
        }
    }

    static int statusOf(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SecurityException) {
                return 403;
            }
            if (t instanceof ViewExpiredException) {
                return 410;
            }
            if (t instanceof io.flowretry.kernel.NotFoundException) {
                return 404;
            }
        }
        return 500;
    }

    private static void sendError(FacesContext faces, int status) {
        try {
            var external = faces.getExternalContext();
            if (!external.isResponseCommitted()) {
                external.responseReset();
                external.responseSendError(status, null);
            }
        } catch (IOException | IllegalStateException e) {
            LOG.log(Level.FINE, "cannot send the error page", e);
        }
        faces.responseComplete();
    }

    /** A GET whose view parameters fail conversion or validation names nothing that exists: 404 (registered in faces-config.xml). */
    public static class BadViewParameters implements PhaseListener {
        @Override
        public void afterPhase(PhaseEvent event) {
            var faces = event.getFacesContext();
            if (!faces.isPostback() && faces.isValidationFailed()) {
                sendError(faces, 404);
            }
        }

        @Override
        public PhaseId getPhaseId() {
            return PhaseId.PROCESS_VALIDATIONS;
        }
    }
}
