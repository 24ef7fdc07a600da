package io.flowretry.alerts.control;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import javax.naming.InitialContext;
import javax.naming.NamingException;
import java.util.Date;
import java.util.Optional;
import java.util.Properties;

/**
 * E-mail alerts. With {@code FLOWRETRY_SMTP_HOST} set, straight to that SMTP server (plain SMTP, no
 * sign-in: a relay on the server's network); otherwise through the server's mail session named
 * {@code FLOWRETRY_MAIL_SESSION} (default {@code mail/flowretry}), which can sign in and use TLS.
 * With neither, EMAIL channels are refused at creation.
 */
@ApplicationScoped
public class MailSender {

    /** Connect, read and write time-outs: a mail server that hangs must not hold a delivery thread. */
    static final String TIMEOUT_MILLIS = "10000";

    @Inject
    @ConfigProperty(name = "FLOWRETRY_MAIL_SESSION", defaultValue = "mail/flowretry")
    String jndiName;

    @Inject
    @ConfigProperty(name = "FLOWRETRY_SMTP_HOST")
    Optional<String> smtpHost;

    @Inject
    @ConfigProperty(name = "FLOWRETRY_SMTP_PORT", defaultValue = "25")
    int smtpPort;

    @Inject
    @ConfigProperty(name = "FLOWRETRY_SMTP_FROM", defaultValue = "flowretry@localhost")
    String from;

    private Session smtp;

    @PostConstruct
    void configure() {
        smtpHost.filter(host -> !host.isBlank()).ifPresent(host -> smtp = Session.getInstance(smtpProperties(host, smtpPort, from)));
    }

    static Properties smtpProperties(String host, int port, String from) {
        var p = new Properties();
        p.setProperty("mail.transport.protocol", "smtp");
        p.setProperty("mail.smtp.host", host.trim());
        p.setProperty("mail.smtp.port", String.valueOf(port));
        p.setProperty("mail.from", from);
        p.setProperty("mail.smtp.connectiontimeout", TIMEOUT_MILLIS);
        p.setProperty("mail.smtp.timeout", TIMEOUT_MILLIS);
        p.setProperty("mail.smtp.writetimeout", TIMEOUT_MILLIS);
        return p;
    }

    public Optional<Session> session() {
        if (smtp != null) {
            return Optional.of(smtp);
        }
        try {
            return new InitialContext().lookup(jndiName) instanceof Session s ? Optional.of(s) : Optional.empty();
        } catch (NamingException e) {
            return Optional.empty();
        }
    }

    WebhookSender.Result send(String to, String subject, String text) {
        var session = session();
        if (session.isEmpty()) {
            return new WebhookSender.Result(null, "no mail server: neither FLOWRETRY_SMTP_HOST nor the mail session " + jndiName + " is configured");
        }
        try {
            var message = new MimeMessage(session.get());
            message.setFrom();
            message.setRecipients(Message.RecipientType.TO, InternetAddress.parse(to, true));
            message.setSubject(subject, "UTF-8");
            message.setSentDate(new Date());
            message.setText(text, "UTF-8");
            Transport.send(message);
            return new WebhookSender.Result(null, null);
        } catch (MessagingException e) {
            return new WebhookSender.Result(null, "MessagingException: " + e.getMessage());
        }
    }
}
