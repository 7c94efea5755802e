package charter.connect.tools;

import charter.connect.ActionRequest;
import charter.connect.AttemptOutcome;
import charter.connect.Connector;
import charter.connect.Guarantee;
import charter.connect.ToolEndpoint;
import charter.connect.WireRequest;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.net.ConnectException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;

/**
 * email.send over SMTP (Jakarta Mail). The endpoint's base URL is {@code smtp://host:port} (STARTTLS when the
 * setting {@code starttls} is {@code true}, TLS from the start with {@code smtps://}); the setting {@code from}
 * is the sender; the credentials {@code username}/{@code password} log in when present.
 *
 * <p>SMTP has no idempotency: a message accepted before the answer was lost cannot be found again. The
 * Message-ID is derived from the action id, so receivers that drop repeated Message-IDs can, but the guarantee
 * is at most once: after an unknown outcome the action fails rather than risk a second email.
 */
final class EmailSend implements Connector {
    private final ToolEndpoint endpoint;
    private final ConnectorContext context;

    EmailSend(ToolEndpoint endpoint, ConnectorContext context) {
        this.endpoint = endpoint;
        this.context = context;
    }

    @Override
    public String tool() {
        return "email.send";
    }

    @Override
    public Guarantee guarantee() {
        return Guarantee.AT_MOST_ONCE;
    }

    /** The message as composed: what send() hands to the SMTP server, plus the envelope in headers. */
    private record Email(String from, String to, String subject, String messageId, String body) {}

    /** @param sending false for a dry run, which shows a missing sender as a placeholder instead of refusing */
    private Email compose(ActionRequest request, boolean sending) {
        Args args = new Args(request);
        String from = endpoint.settings().get("from");
        if (from == null || from.isBlank()) {
            if (sending) throw new InvalidAction("email.send: the tenant's endpoint has no setting 'from'");
            from = "<missing setting 'from'>";
        }
        String to = args.string("to");
        try {
            InternetAddress[] recipients = InternetAddress.parse(to, true);
            if (recipients.length == 0) throw new InvalidAction("email.send: 'to' names no address");
            if (sending) new InternetAddress(from, true);
        } catch (AddressException e) {
            throw new InvalidAction("email.send: not an email address: " + e.getMessage());
        }
        // A line break in a header would start a new header: a subject is one line.
        String subject = args.string("subject").replaceAll("[\\r\\n]+", " ");
        String domain = from.contains("@") ? from.substring(from.lastIndexOf('@') + 1).replaceAll("[<>\\s]", "") : "charter";
        return new Email(from, to, subject, ActionMarks.messageId(request.actionId(), domain), args.string("body"));
    }

    @Override
    public WireRequest render(ActionRequest request) {
        Email email = compose(request, false);
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("From", email.from());
        headers.put("To", email.to());
        headers.put("Subject", email.subject());
        headers.put("Message-ID", email.messageId());
        headers.put("Content-Type", "text/plain; charset=UTF-8");
        return new WireRequest("SMTP", server().toString(), headers, email.body());
    }

    private URI server() {
        URI base = endpoint.baseUrl();
        if (base == null || base.getHost() == null) throw new InvalidAction("email.send: the tenant's endpoint has no smtp://host:port");
        int port = base.getPort() > 0 ? base.getPort() : "smtps".equals(base.getScheme()) ? 465 : 25;
        return URI.create(base.getScheme() + "://" + base.getHost() + ":" + port);
    }

    @Override
    public AttemptOutcome send(ActionRequest request) {
        Email email;
        URI server;
        try {
            email = compose(request, true);
            server = server();
        } catch (InvalidAction e) {
            return new AttemptOutcome.Failed(0, e.getMessage());
        }
        Session session = Session.getInstance(properties(server));
        MimeMessage message = new FixedIdMessage(session, email.messageId());
        try {
            message.setFrom(new InternetAddress(email.from(), true));
            message.setRecipients(Message.RecipientType.TO, InternetAddress.parse(email.to(), true));
            message.setSubject(email.subject(), StandardCharsets.UTF_8.name());
            message.setText(email.body(), StandardCharsets.UTF_8.name());
            message.saveChanges();
        } catch (MessagingException e) {
            return new AttemptOutcome.Failed(0, "email.send: cannot compose the message: " + e.getMessage());
        }
        String protocol = "smtps".equals(server.getScheme()) ? "smtps" : "smtp";
        try (Transport transport = session.getTransport(protocol)) {
            try {
                String user = endpoint.credentials().get("username");
                transport.connect(server.getHost(), server.getPort(), user, endpoint.credentials().get("password"));
            } catch (AuthenticationFailedException e) {
                return new AttemptOutcome.Failed(535, "SMTP login refused: " + e.getMessage());
            } catch (MessagingException e) {
                // Nothing was handed over before the session was up.
                return new AttemptOutcome.Retry(0, "cannot connect to " + server + ": " + cause(e), null);
            }
            try {
                transport.sendMessage(message, message.getAllRecipients());
                return new AttemptOutcome.Done(250, email.messageId(), null, false);
            } catch (SMTPSendFailedException e) {
                return byReply(e.getReturnCode(), e.getMessage());
            } catch (SMTPAddressFailedException e) {
                return byReply(e.getReturnCode(), e.getMessage());
            } catch (SendFailedException e) {
                return new AttemptOutcome.Failed(550, "SMTP refused the recipients: " + e.getMessage());
            } catch (MessagingException e) {
                return e.getCause() instanceof ConnectException
                        ? new AttemptOutcome.Retry(0, cause(e), null)
                        : new AttemptOutcome.Unknown(0, "SMTP session lost while sending: " + cause(e));
            }
        } catch (MessagingException closing) {
            // The message was accepted (or refused) above; a failure to say QUIT changes nothing.
            return new AttemptOutcome.Done(250, email.messageId(), null, false);
        }
    }

    private static AttemptOutcome byReply(int code, String message) {
        String reason = "SMTP " + code + ": " + (message == null ? "" : message.strip());
        return code >= 400 && code < 500 ? new AttemptOutcome.Retry(code, reason, null) : new AttemptOutcome.Failed(code, reason);
    }

    private Properties properties(URI server) {
        Properties props = new Properties();
        String protocol = "smtps".equals(server.getScheme()) ? "smtps" : "smtp";
        String timeout = Long.toString(context.timeout().toMillis());
        props.put("mail." + protocol + ".connectiontimeout", timeout);
        props.put("mail." + protocol + ".timeout", timeout);
        props.put("mail." + protocol + ".writetimeout", timeout);
        props.put("mail." + protocol + ".auth", Boolean.toString(endpoint.credentials().containsKey("username")));
        if ("true".equals(endpoint.settings().get("starttls"))) props.put("mail.smtp.starttls.required", "true");
        return props;
    }

    private static String cause(Exception e) {
        Throwable root = e;
        while (root.getCause() != null) root = root.getCause();
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }

    /** Keeps the Message-ID derived from the action id (Jakarta Mail would otherwise make a fresh one). */
    private static final class FixedIdMessage extends MimeMessage {
        private final String id;

        FixedIdMessage(Session session, String id) {
            super(session);
            this.id = id;
        }

        @Override
        protected void updateMessageID() throws MessagingException {
            setHeader("Message-ID", id);
        }
    }
}
