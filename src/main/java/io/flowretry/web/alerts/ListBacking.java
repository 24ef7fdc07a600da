package io.flowretry.web.alerts;

import io.flowretry.alerts.boundary.AlertChannels;
import io.flowretry.alerts.entity.AlertChannel;
import io.flowretry.alerts.entity.AlertDelivery;
import io.flowretry.kernel.NotFoundException;
import io.flowretry.kernel.Roles;
import io.flowretry.web.Messages;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.security.enterprise.SecurityContext;

import java.util.List;

/** Manage › Alerts: the channels, their last deliveries, and (admins) a "Send test" per channel. */
@Named("alertList")
@RequestScoped
public class ListBacking {

    static final int LAST_DELIVERIES = 20;

    @Inject
    AlertChannels channels;

    @Inject
    SecurityContext security;

    private List<AlertDelivery> deliveries;

    public List<AlertChannel> getChannels() {
        return channels.list();
    }

    public List<AlertDelivery> getDeliveries() {
        if (deliveries == null) {
            deliveries = channels.deliveries(null, LAST_DELIVERIES);
        }
        return deliveries;
    }

    public String channelName(long channelId) {
        return getChannels().stream().filter(c -> c.getId() == channelId).map(AlertChannel::getName).findFirst().orElse("#" + channelId);
    }

    public void sendTest(long channelId) {
        if (!security.isCallerInRole(Roles.ADMIN)) {
            Messages.error("Only an admin sends test alerts");
            return;
        }
        try {
            var d = channels.test(channelId);
            deliveries = null;
            if (d.getStatus() == AlertDelivery.Status.SENT) {
                Messages.info("Test alert sent to " + channelName(channelId));
            } else {
                Messages.error("Test alert to " + channelName(channelId) + " failed: " + d.getLastError() + " (retried with back-off)");
            }
        } catch (NotFoundException e) {
            Messages.error(e.getMessage());
        }
    }
}
