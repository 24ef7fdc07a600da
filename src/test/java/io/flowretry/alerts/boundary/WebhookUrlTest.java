package io.flowretry.alerts.boundary;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A webhook URL is admin input: only http(s) with a host ever reaches the HTTP client. */
class WebhookUrlTest {

    @Test
    void only_http_and_https_urls_with_a_host() {
        assertTrue(AlertChannels.isHttp("https://hooks.slack.com/services/T/B/X"));
        assertTrue(AlertChannels.isHttp("http://127.0.0.1:9000/hook"));
        for (var bad : new String[]{"file:///etc/passwd", "jar:file:/x!/y", "ftp://host/x", "http:///nohost", "gopher://h/",
                "javascript:alert(1)", "not a url", "//host/path", "HTTP://"}) {
            assertFalse(AlertChannels.isHttp(bad), bad);
        }
    }
}
