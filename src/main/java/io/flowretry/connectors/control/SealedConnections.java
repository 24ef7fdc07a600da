package io.flowretry.connectors.control;

import io.flowretry.platform.control.AppDataSource;
import io.flowretry.platform.entity.SecretBox;
import io.flowretry.platform.control.SecretKeys;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.ejb.DependsOn;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.inject.Inject;

import javax.sql.DataSource;
import java.sql.SQLException;
import java.util.logging.Logger;

/**
 * At startup, seals with the current key every connection secret that is still plain (stored before
 * sealing existed) or sealed with a previous key ({@code FLOWRETRY_SECRET_KEY_PREVIOUS}): this is how a
 * key is rotated. Plain JDBC, so the values are read exactly as stored.
 */
@Singleton
@Startup
@DependsOn({"Migrations", "SecretKeys"})
public class SealedConnections {

    static final String[] COLUMNS = {"jdbc_url", "password", "base_url", "headers", "auth"};
    private static final Logger LOG = Logger.getLogger(SealedConnections.class.getName());

    @Resource(lookup = AppDataSource.NAME)
    DataSource dataSource;

    @Inject
    SecretKeys keys;

    @PostConstruct
    void reseal() {
        try {
            int resealed = reseal(keys.box());
            if (resealed > 0) {
                LOG.info(() -> "Sealed " + resealed + " connection secrets with the current key");
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot seal the connections' secrets: " + e.getMessage(), e);
        }
    }

    private int reseal(SecretBox box) throws SQLException {
        int count = 0;
        try (var connection = dataSource.getConnection();
             var select = connection.createStatement();
             var rows = select.executeQuery("select id, " + String.join(", ", COLUMNS) + " from connections");
             var update = connection.prepareStatement("update connections set "
                     + String.join(" = ?, ", COLUMNS) + " = ? where id = ?")) {
            while (rows.next()) {
                boolean changed = false;
                for (int i = 0; i < COLUMNS.length; i++) {
                    var stored = rows.getString(i + 2);
                    var sealed = box.resealed(stored);
                    changed |= sealed.isPresent();
                    update.setString(i + 1, sealed.orElse(stored));
                }
                if (changed) {
                    update.setLong(COLUMNS.length + 1, rows.getLong(1));
                    update.executeUpdate();
                    count++;
                }
            }
        }
        return count;
    }
}
