package io.flowretry.alerts.boundary;

import io.flowretry.alerts.control.Alerter;
import io.flowretry.alerts.control.AlertStore;
import io.flowretry.alerts.control.MailSender;
import io.flowretry.alerts.entity.AlertChannel;
import io.flowretry.alerts.entity.AlertDelivery;
import io.flowretry.alerts.entity.AlertEvent;
import io.flowretry.kernel.NotFoundException;
import io.flowretry.kernel.Validation;
import io.flowretry.platform.control.UniqueViolation;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;

import java.net.URI;
import java.time.Clock;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Alert channels: create (validated; a webhook URL is admin input, only http(s)), list, delete, send a test. */
@ApplicationScoped
@Transactional
public class AlertChannels {

    /** What an admin may subscribe to; TEST is the button's own. */
    public static final Set<AlertEvent> SUBSCRIBABLE = EnumSet.complementOf(EnumSet.of(AlertEvent.TEST));

    @PersistenceContext
    EntityManager em;

    @Inject
    AlertStore store;

    @Inject
    Alerter alerter;

    @Inject
    MailSender mail;

    @Inject
    Clock clock;

    public AlertChannel create(String name, String type, String url, String to, String secret, List<String> events, Integer threshold) {
        var v = new Validation().require("name", name).maxLength(name, 100, "name").require("type", type)
                .require("events", events).maxLength(secret, 500, "secret");
        var parsedType = parse(type, AlertChannel.Type.class, v, "type", "must be WEBHOOK or EMAIL");
        var parsedEvents = EnumSet.noneOf(AlertEvent.class);
        if (events != null) {
            v.check(!events.isEmpty(), "events", "name at least one of " + SUBSCRIBABLE);
            for (var e : events) {
                var event = parse(e, AlertEvent.class, v, "events", "must be some of " + SUBSCRIBABLE);
                v.check(event != AlertEvent.TEST, "events", "must be some of " + SUBSCRIBABLE);
                if (event != null && event != AlertEvent.TEST) {
                    parsedEvents.add(event);
                }
            }
        }
        v.check(!parsedEvents.contains(AlertEvent.BUCKET_DEPTH) || (threshold != null && threshold >= 1),
                "bucketDepthThreshold", "is required with BUCKET_DEPTH: a number of failed records, at least 1");
        v.range(threshold, 1, 100_000_000, "bucketDepthThreshold");
        if (parsedType == AlertChannel.Type.WEBHOOK) {
            v.require("url", url).maxLength(url, 1000, "url").check(url == null || isHttp(url), "url",
                    "must be an http:// or https:// URL with a host");
        }
        if (parsedType == AlertChannel.Type.EMAIL) {
            v.require("to", to).maxLength(to, 320, "to")
                    .check(to == null || to.matches("[^@\\s,;]+@[^@\\s,;]+\\.[^@\\s,;]+"), "to", "must be one e-mail address")
                    .check(mail.session().isPresent(), "type", "EMAIL needs a mail server (FLOWRETRY_SMTP_HOST or the mail session FLOWRETRY_MAIL_SESSION); none is configured");
        }
        v.throwIfInvalid();
        var channel = new AlertChannel(name.trim(), parsedType, parsedType == AlertChannel.Type.WEBHOOK ? url.trim() : null,
                parsedType == AlertChannel.Type.EMAIL ? to.trim() : null, secret, parsedEvents, threshold, clock.instant());
        em.persist(channel);
        UniqueViolation.flushOrConflict(em, "name", "an alert channel named " + name.trim() + " exists already");
        return channel;
    }

    public List<AlertChannel> list() {
        return store.channels();
    }

    public AlertChannel get(long id) {
        return store.findChannel(id).orElseThrow(() -> new NotFoundException("alert channel", id));
    }

    public void delete(long id) {
        var channel = em.find(AlertChannel.class, id);
        if (channel == null) {
            throw new NotFoundException("alert channel", id);
        }
        em.createQuery("delete from AlertDelivery d where d.channelId = :id").setParameter("id", id).executeUpdate();
        em.remove(channel);
    }

    @Transactional(Transactional.TxType.NOT_SUPPORTED)
    public AlertDelivery test(long id) {
        return alerter.test(get(id));
    }

    public List<AlertDelivery> deliveries(Long channelId, int limit) {
        if (channelId != null) {
            get(channelId);
        }
        return store.latest(channelId, limit);
    }

    static boolean isHttp(String url) {
        try {
            var uri = URI.create(url.trim());
            var scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            return (scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null && !uri.getHost().isBlank();
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static <E extends Enum<E>> E parse(String value, Class<E> type, Validation v, String field, String message) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Enum.valueOf(type, value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            v.check(false, field, message);
            return null;
        }
    }
}
