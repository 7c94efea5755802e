package charter.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Slow clients (the headers of a 100 kB body, then a byte at a time) cannot hold the server's
 * threads: one client address keeps at most `connections_per_client` connections, a trickling
 * body is cut off with a 408, and /healthz answers at once throughout. Before these limits, 300
 * such connections held every one of Jetty's 250 threads and /healthz timed out.
 */
class SlowClientsTest {
    static final int SLOW = 300;
    static final int PER_CLIENT = 8;

    @TempDir
    Path tmp;

    @Test
    void slowConnectionsFromOneClientDoNotStarveHealthz() throws Exception {
        InetAddress attacker = InetAddress.getByName("127.0.0.2");
        assumeTrue(canBind(attacker), "127.0.0.2 is not usable as a source address here");
        ServerConfig config = new ServerConfig(0, tmp.resolve("data").toString(), tmp.resolve("tokens.jsonl"), 256 * 1024,
                Map.of("acme", new ServerConfig.TenantConfig("acme", ServerHttpTest.ACME, null, null, null, Map.of("vercel", FailedDeploy.SECRET))))
                .withHttp(new ServerConfig.HttpLimits(Duration.ofSeconds(20), Duration.ofSeconds(2), PER_CLIENT));
        List<Socket> slow = new ArrayList<>();
        try (CharterServer server = CharterServer.start(config)) {
            byte[] head = ("POST /webhooks/acme/vercel HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100000\r\n"
                    + "x-vercel-signature: 00\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
            for (int i = 0; i < SLOW; i++) {
                Socket s = new Socket();
                s.bind(new InetSocketAddress(attacker, 0));
                s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.port()), 2_000);
                s.setSoTimeout(50);
                try {
                    s.getOutputStream().write(head);
                } catch (IOException closedAlready) {
                    // the server closed it as it opened: what the limit does
                }
                slow.add(s);
            }
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
            HttpRequest healthz = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/healthz"))
                    .timeout(Duration.ofSeconds(2)).build();
            int answered408 = 0;
            long end = System.nanoTime() + Duration.ofSeconds(4).toNanos();
            while (System.nanoTime() < end) {
                for (Socket s : slow) trickle(s);
                long t0 = System.nanoTime();
                HttpResponse<String> h = http.send(healthz, HttpResponse.BodyHandlers.ofString());
                long ms = (System.nanoTime() - t0) / 1_000_000;
                assertEquals(200, h.statusCode(), h.body());
                assertTrue(ms < 1_500, "/healthz took " + ms + " ms");
                Thread.sleep(300);
            }
            int open = 0;
            for (Socket s : slow) {
                String answer = readAvailable(s);
                if (answer.startsWith("HTTP/1.1 408")) answered408++;
                if (!s.isClosed() && answer.isEmpty() && stillOpen(s)) open++;
            }
            assertTrue(answered408 <= PER_CLIENT, answered408 + " answered");
            assertTrue(answered408 >= 1, "a trickling body is cut off with a 408");
            assertEquals(0, open, "every slow connection was closed: over the limit at once, the others after their 408");
        } finally {
            for (Socket s : slow) s.close();
        }
    }

    private static boolean canBind(InetAddress a) {
        try (Socket s = new Socket()) {
            s.bind(new InetSocketAddress(a, 0));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** One more byte of the body, if the connection still takes it. */
    private static void trickle(Socket s) {
        if (s.isClosed()) return;
        try {
            OutputStream o = s.getOutputStream();
            o.write('x');
            o.flush();
        } catch (IOException e) {
            // closed by the server
        }
    }

    private static String readAvailable(Socket s) {
        StringBuilder b = new StringBuilder();
        try {
            InputStream in = s.getInputStream();
            byte[] buf = new byte[4096];
            while (true) {
                int n = in.read(buf);
                if (n < 0) break;
                b.append(new String(buf, 0, n, StandardCharsets.ISO_8859_1));
            }
        } catch (SocketTimeoutException e) {
            // nothing more for now
        } catch (IOException e) {
            // reset by the server
        }
        return b.toString();
    }

    /** True when the server has not closed it: a read waits instead of ending. */
    private static boolean stillOpen(Socket s) {
        try {
            return s.getInputStream().read() >= 0;
        } catch (SocketTimeoutException e) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
