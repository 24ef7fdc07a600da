package io.flowretry.web;

import io.flowretry.kernel.InvalidInputException;
import jakarta.faces.application.FacesMessage;
import jakarta.faces.context.FacesContext;

import java.util.Map;

/**
 * Faces messages from the facades' answers. A field error of an {@link InvalidInputException}
 * (REST field names such as {@code retry.intervalHours}) lands beside the input it belongs to;
 * fields without an input become a message at the top of the page.
 */
public final class Messages {

    private Messages() {
    }

    public static void info(String text) {
        add(null, FacesMessage.SEVERITY_INFO, text);
    }

    public static void error(String text) {
        add(null, FacesMessage.SEVERITY_ERROR, text);
    }

    /** @param inputs REST field name → the client id of the input showing it */
    public static void fieldErrors(InvalidInputException e, Map<String, String> inputs) {
        fieldErrors(e, inputs, null);
    }

    /**
     * @param inputs   REST field name → the client id of the input showing it
     * @param fallback the client id for the other fields (their name is put before the message); null = top of the page
     */
    public static void fieldErrors(InvalidInputException e, Map<String, String> inputs, String fallback) {
        for (var error : e.errors()) {
            var clientId = inputs.get(error.field());
            if (clientId != null) {
                add(clientId, FacesMessage.SEVERITY_ERROR, error.message());
            } else {
                add(fallback, FacesMessage.SEVERITY_ERROR, error.field() + " " + error.message());
            }
        }
        FacesContext.getCurrentInstance().validationFailed();
    }

    /** An error beside one input. */
    public static void errorAt(String clientId, String text) {
        add(clientId, FacesMessage.SEVERITY_ERROR, text);
        FacesContext.getCurrentInstance().validationFailed();
    }

    /** Keeps this request's messages for the page a redirect leads to. */
    public static void keepForRedirect() {
        FacesContext.getCurrentInstance().getExternalContext().getFlash().setKeepMessages(true);
    }

    private static void add(String clientId, FacesMessage.Severity severity, String text) {
        FacesContext.getCurrentInstance().addMessage(clientId, new FacesMessage(severity, text, null));
    }
}
