package io.flowretry.platform.control;

/**
 * Error texts that are stored and shown to every role (bucket items, attempts, snapshot items):
 * an app's answer or a driver's message may be long, so each is cut to {@value #MAX} characters.
 */
public final class ErrorTexts {

    public static final int MAX = 1000;

    private ErrorTexts() {
    }

    public static String cut(String text) {
        if (text == null || text.length() <= MAX) {
            return text;
        }
        return text.substring(0, MAX) + "…";
    }
}
