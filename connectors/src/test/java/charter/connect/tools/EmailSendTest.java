package charter.connect.tools;

import static charter.connect.ConnectorHarness.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import charter.connect.ActionRequest;
import charter.connect.AttemptOutcome;
import charter.connect.Connector;
import charter.connect.ConnectorHarness;
import charter.connect.Guarantee;
import charter.connect.WireRequest;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.internet.MimeMessage;
import java.net.ServerSocket;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** email.send against a real SMTP server (GreenMail) on loopback. */
class EmailSendTest {
    private final ConnectorHarness harness = new ConnectorHarness();
    private GreenMail smtp;
    private Connector connector;

    @BeforeEach
    void start() {
        smtp = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.start();
        connector = harness.connector("email.send", URI.create("smtp://127.0.0.1:" + smtp.getSmtp().getPort()), Map.of(),
                Map.of("from", "charter@acme.dev"));
    }

    @AfterEach
    void stop() {
        smtp.stop();
        harness.close();
    }

    @Test
    void sendsTheMessageTheDryRunShowsWithAMessageIdFromTheAction() throws Exception {
        ActionRequest request = request("email.send", "act_e1", "to", "oncall@acme.dev", "subject", "Deploy failed\r\nBcc: evil@x.com",
                "body", "Production deploy failed.\nSee the trace.");
        WireRequest wire = connector.render(request);

        AttemptOutcome.Done done = assertInstanceOf(AttemptOutcome.Done.class, connector.send(request));

        MimeMessage[] received = smtp.getReceivedMessages();
        assertEquals(1, received.length);
        MimeMessage message = received[0];
        assertEquals("<act_e1@acme.dev>", message.getMessageID());
        assertEquals(wire.headers().get("Message-ID"), message.getMessageID());
        assertEquals("Deploy failed Bcc: evil@x.com", message.getSubject(), "a line break cannot add a header");
        assertEquals("oncall@acme.dev", message.getAllRecipients()[0].toString());
        assertEquals(1, message.getAllRecipients().length);
        assertEquals("Production deploy failed.\r\nSee the trace.", ((String) message.getContent()).strip());
        assertEquals("<act_e1@acme.dev>", done.externalId());
        assertEquals("smtp://127.0.0.1:" + smtp.getSmtp().getPort(), wire.target());
        assertEquals(Guarantee.AT_MOST_ONCE, connector.guarantee());
    }

    @Test
    void aServerThatIsDownIsRetriedAndABadAddressFails() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        Connector down = harness.connector("email.send", URI.create("smtp://127.0.0.1:" + closedPort), Map.of(), Map.of("from", "charter@acme.dev"));
        assertInstanceOf(AttemptOutcome.Retry.class, down.send(request("email.send", "act_e2", "to", "a@acme.dev", "subject", "s", "body", "b")));

        AttemptOutcome.Failed failed = assertInstanceOf(AttemptOutcome.Failed.class,
                connector.send(request("email.send", "act_e3", "to", "not an address", "subject", "s", "body", "b")));
        assertTrue(failed.reason().contains("not an email address"), failed.reason());
        assertEquals(0, smtp.getReceivedMessages().length);
    }
}
