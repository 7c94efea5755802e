package charter.connect.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import charter.connect.ActionRequest;
import charter.connect.AttemptOutcome;
import charter.connect.Connector;
import charter.connect.ConnectorHarness;
import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A receiver of http.post is anyone's server: an answer that never ends or never stops must not hold an attempt. */
class HostileAnswersTest {
    private final ConnectorHarness harness = new ConnectorHarness();
    private HttpServer server;
    private Connector post;

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 10);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/drip", exchange -> {
            exchange.sendResponseHeaders(200, 10_000);
            try (OutputStream out = exchange.getResponseBody()) {
                for (int i = 0; i < 10_000; i++) {
                    out.write('x');
                    out.flush();
                    Thread.sleep(200);
                }
            } catch (Exception stopped) {
                // the client went away
            }
        });
        server.createContext("/huge", exchange -> {
            byte[] chunk = new byte[64 * 1024];
            Arrays.fill(chunk, (byte) 'y');
            exchange.sendResponseHeaders(200, 0);
            try (OutputStream out = exchange.getResponseBody()) {
                for (int i = 0; i < 160; i++) out.write(chunk); // 10 MiB
            }
        });
        server.start();
        post = harness.connector("http.post", (URI) null, Map.of("signing_secret", "s"), Map.of());
    }

    @AfterEach
    void stop() {
        server.stop(0);
        harness.close();
    }

    private ActionRequest to(String path) {
        return new ActionRequest("acme", "act_hostile", "http.post",
                Map.of("url", "http://127.0.0.1:" + server.getAddress().getPort() + path, "body", "{}"), 1);
    }

    @Test
    @Timeout(30)
    void aBodyTricklingInIsAnUnknownOutcomeWithinTheTimeout() throws Exception {
        long start = System.nanoTime();
        AttemptOutcome outcome = post.send(to("/drip"));
        long millis = (System.nanoTime() - start) / 1_000_000;

        assertInstanceOf(AttemptOutcome.Unknown.class, outcome);
        assertTrue(millis < 5_000, "the attempt ended after " + millis + " ms");
    }

    @Test
    void aHugeAnswerIsReadButOnlyItsStartKept() throws Exception {
        AttemptOutcome.Done done = assertInstanceOf(AttemptOutcome.Done.class, post.send(to("/huge")));
        assertEquals(200, done.status());
    }
}
