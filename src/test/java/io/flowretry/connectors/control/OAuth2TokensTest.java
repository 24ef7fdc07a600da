package io.flowretry.connectors.control;

import io.flowretry.connectors.entity.HttpAuth;
import io.flowretry.kernel.ErrorClass;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class OAuth2TokensTest {

    private static final HttpAuth AUTH = new HttpAuth("OAUTH2_CLIENT_CREDENTIALS", null, null, null,
            "https://idp.example.com/token", "app", "s3cret", null);
    private final AtomicLong now = new AtomicLong();
    private final AtomicInteger fetched = new AtomicInteger();
    private Long expiresIn = 3600L;

    private OAuth2Tokens.Token fetch(HttpAuth auth) {
        return new OAuth2Tokens.Token("t" + fetched.incrementAndGet(), expiresIn);
    }

    @Test
    void the_token_is_fetched_once_and_kept_until_shortly_before_it_expires() throws Exception {
        var tokens = new OAuth2Tokens(AUTH, now::get);
        assertEquals("t1", tokens.current(this::fetch));
        now.addAndGet(3_500_000_000_000L); // 3500 s: 30 s before it would refresh
        assertEquals("t1", tokens.current(this::fetch));
        now.addAndGet(71_000_000_000L); // 3571 s: within the last 30 s
        assertEquals("t2", tokens.current(this::fetch));
        assertEquals(2, fetched.get());
    }

    @Test
    void a_401_fetches_a_new_token_once_for_all_callers_that_saw_the_old_one() throws Exception {
        var tokens = new OAuth2Tokens(AUTH, now::get);
        var rejected = tokens.current(this::fetch);
        assertEquals("t2", tokens.after401(rejected, this::fetch));
        assertEquals("t2", tokens.after401(rejected, this::fetch), "a second caller with the same rejected token");
        assertEquals("t3", tokens.after401("t2", this::fetch));
        assertEquals(3, fetched.get());
    }

    @Test
    void without_expires_in_the_token_is_kept_until_a_401() throws Exception {
        expiresIn = null;
        var tokens = new OAuth2Tokens(AUTH, now::get);
        assertEquals("t1", tokens.current(this::fetch));
        now.addAndGet(86_400_000_000_000L);
        assertEquals("t1", tokens.current(this::fetch));
        assertEquals(1, fetched.get());
    }

    @Test
    void a_failed_fetch_is_the_callers_failure_and_the_next_call_tries_again() throws Exception {
        var tokens = new OAuth2Tokens(AUTH, now::get);
        assertThrows(ConnectorException.class, () -> tokens.current(auth -> {
            throw new ConnectorException(ErrorClass.TRANSIENT, "ERP token request: connection refused");
        }));
        assertEquals("t1", tokens.current(this::fetch));
    }
}
