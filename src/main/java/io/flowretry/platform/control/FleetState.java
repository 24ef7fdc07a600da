package io.flowretry.platform.control;

import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;

import javax.sql.DataSource;
import java.sql.SQLException;

/**
 * The one row every agent polls ({@code fleet_state}, V120): the schedule version, moved by every
 * change that can change a timer (deployments, environments, attachments), and the fleet's test
 * clock offset. Plain JDBC on the caller's transaction, if any.
 */
@ApplicationScoped
public class FleetState {

    public record Seen(long scheduleVersion, long clockOffsetMillis) {
    }

    @Resource(lookup = AppDataSource.NAME)
    DataSource dataSource;

    public Seen read() {
        try (var c = dataSource.getConnection(); var s = c.createStatement();
             var rs = s.executeQuery("select schedule_version, clock_offset_ms from fleet_state where id = 1")) {
            rs.next();
            return new Seen(rs.getLong(1), rs.getLong(2));
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot read the fleet state: " + e.getMessage(), e);
        }
    }

    /** Tells every agent to re-read its timers' deployments. */
    public void scheduleChanged() {
        update("update fleet_state set schedule_version = schedule_version + 1 where id = 1", null);
    }

    public void setClockOffset(long millis) {
        update("update fleet_state set clock_offset_ms = ? where id = 1", millis);
    }

    private void update(String sql, Long value) {
        try (var c = dataSource.getConnection(); var ps = c.prepareStatement(sql)) {
            if (value != null) {
                ps.setLong(1, value);
            }
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot change the fleet state: " + e.getMessage(), e);
        }
    }
}
