package io.flowretry.alerts.control;

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
import java.util.Optional;

/**
 * E-mail alerts through the server's mail session named {@code FLOWRETRY_MAIL_SESSION}
 * (default {@code mail/flowretry}); without one, EMAIL channels are refused at creation.
 */
@ApplicationScoped
public class MailSender {

    @Inject
    @ConfigProperty(name = "FLOWRETRY_MAIL_SESSION", defaultValue = "mail/flowretry")
    String jndiName;

    public Optional<Session> session() {
        try {
            return new InitialContext().lookup(jndiName) instanceof Session s ? Optional.of(s) : Optional.empty();
        } catch (NamingException e) {
            return Optional.empty();
        }
    }

    WebhookSender.Result send(String to, String subject, String text) {
        var session = session();
        if (session.isEmpty()) {
            return new WebhookSender.Result(null, "no mail session " + jndiName + " is configured");
        }
        try {
            var message = new MimeMessage(session.get());
            message.setRecipients(Message.RecipientType.TO, InternetAddress.parse(to, true));
            message.setSubject(subject);
            message.setText(text);
            Transport.send(message);
            return new WebhookSender.Result(null, null);
        } catch (MessagingException e) {
            return new WebhookSender.Result(null, "MessagingException: " + e.getMessage());
        }
    }
}
