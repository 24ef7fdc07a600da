package io.flowretry.connectors.control;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The secrets inside a connection's URLs: {@code ;PASSWORD=} of an H2 URL, {@code password=} of a
 * PostgreSQL one, the password of an HTTP URL's user-info ({@code http://user:pw@host}). They are
 * shown as {@value #MASK}; a URL sent back with {@value #MASK} in such a place keeps the stored secret.
 */
public final class UrlSecrets {

    public static final String MASK = "***";

    private record Span(int start, int end) {
    }

    private UrlSecrets() {
    }

    /** The URL with every secret replaced by {@value #MASK}. */
    public static String masked(String url) {
        if (url == null) {
            return null;
        }
        var shown = new StringBuilder(url);
        var spans = spans(url);
        for (int i = spans.size() - 1; i >= 0; i--) {
            shown.replace(spans.get(i).start(), spans.get(i).end(), MASK);
        }
        return shown.toString();
    }

    /**
     * {@code sent} with each secret that reads {@value #MASK} replaced by the secret at the same
     * position (the n-th secret) of {@code stored}; {@code sent} itself when it has no such mask.
     */
    public static String keepStored(String sent, String stored) {
        if (sent == null || stored == null) {
            return sent;
        }
        var sentSpans = spans(sent);
        var storedSpans = spans(stored);
        var kept = new StringBuilder(sent);
        for (int i = sentSpans.size() - 1; i >= 0; i--) {
            var span = sentSpans.get(i);
            if (i < storedSpans.size() && MASK.equals(sent.substring(span.start(), span.end()))) {
                var original = storedSpans.get(i);
                kept.replace(span.start(), span.end(), stored.substring(original.start(), original.end()));
            }
        }
        return kept.toString();
    }

    private static List<Span> spans(String url) {
        if (url.startsWith("jdbc:h2:")) {
            return parameters(url, url.indexOf(';'), ';', "PASSWORD");
        }
        if (url.startsWith("jdbc:postgresql:")) {
            return parameters(url, url.indexOf('?'), '&', "PASSWORD");
        }
        return userInfo(url);
    }

    private static List<Span> parameters(String url, int from, char separator, String key) {
        var spans = new ArrayList<Span>();
        if (from < 0) {
            return spans;
        }
        int start = from + 1;
        while (start <= url.length()) {
            int end = url.indexOf(separator, start);
            if (end < 0) {
                end = url.length();
            }
            int equal = url.indexOf('=', start);
            if (equal >= 0 && equal < end && url.substring(start, equal).trim().toUpperCase(Locale.ENGLISH).equals(key)) {
                spans.add(new Span(equal + 1, end));
            }
            start = end + 1;
        }
        return spans;
    }

    private static List<Span> userInfo(String url) {
        int scheme = url.indexOf("://");
        if (scheme < 0) {
            return List.of();
        }
        int authorityStart = scheme + 3;
        int authorityEnd = url.length();
        for (char c : new char[]{'/', '?', '#'}) {
            int i = url.indexOf(c, authorityStart);
            if (i >= 0 && i < authorityEnd) {
                authorityEnd = i;
            }
        }
        int at = url.lastIndexOf('@', authorityEnd - 1);
        if (at < authorityStart) {
            return List.of();
        }
        int colon = url.indexOf(':', authorityStart);
        return colon >= 0 && colon < at ? List.of(new Span(colon + 1, at)) : List.of();
    }
}
