package io.flowretry.connectors.control;

import io.flowretry.kernel.ErrorClass;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.sql.SQLException;

/**
 * The cheap call that tells whether an app answers: JDBC {@code Connection.isValid} on a pooled
 * connection (through the URL allow-list like every open), HTTP a GET on the base URL sent exactly
 * as the connectors send (the same {@link HttpApp}: headers, auth with its OAuth2 token, the
 * connection's own time-outs and its gate), so an app behind a token is probed as it is called.
 * An HTTP app is up when it answers with anything but 408, 429 or 5xx (a base URL often answers
 * 404 or 405: the app is there), except a 401 to a connection that signs its requests: its
 * credentials were refused, so its calls would fail too. A token endpoint that does not give a
 * token is a failed probe.
 */
@ApplicationScoped
public class Probe {

    public record Result(boolean ok, long latencyMs, String error) {
    }

    @Inject
    JdbcPool pool;

    @Inject
    Connectors connectors;

    @Inject
    @ConfigProperty(name = "FLOWRETRY_HTTP_CONNECT_TIMEOUT_SECONDS", defaultValue = "" + Connectors.CONNECT_TIMEOUT_SECONDS)
    int connectTimeoutSeconds;

    public Result test(ConnectionDetails app) {
        long start = System.nanoTime();
        String error = app.isJdbc() ? jdbc(app) : http(app);
        return new Result(error == null, (System.nanoTime() - start) / 1_000_000, error);
    }

    private String jdbc(ConnectionDetails app) {
        java.sql.Connection c = null;
        boolean valid = false;
        try {
            c = pool.borrow(app);
            valid = c.isValid(Math.max(1, connectTimeoutSeconds));
            return valid ? null : app.name() + ": the database did not answer within " + connectTimeoutSeconds + " s";
        } catch (SQLException e) {
            return JdbcFailures.failure(app.name() + ": connecting", e).getMessage();
        } catch (RuntimeException e) {
            return app.name() + ": " + e.getMessage();
        } finally {
            pool.release(app, c, !valid);
        }
    }

    private String http(ConnectionDetails app) {
        String call = app.name() + " GET /";
        try {
            var response = connectors.httpApp(app).send("GET", "", null);
            int status = response.statusCode();
            if (status == 401 && app.auth() != null && app.auth().type() != null) {
                return HttpFailures.failure(response, call).getMessage() + ": the app refused the connection's credentials";
            }
            return HttpFailures.ok(status) || HttpFailures.classify(status) != ErrorClass.TRANSIENT ? null
                    : HttpFailures.failure(response, call).getMessage();
        } catch (ConnectorException e) {
            return e.getMessage();
        }
    }
}
