package charter.server;

import static charter.server.ServerApiTest.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import charter.server.ApiClient.Reply;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the server shows to the network: loopback by default, /metrics behind a token, every
 * error a JSON body with a code and an error id (unknown routes included), next links a client
 * can follow as given, one page size rule for every list, and a taken port said at once.
 */
class ServerExposureTest {
    @TempDir
    static Path tmp;
    static CharterServer server;
    static ApiClient api;
    static String read;

    @BeforeAll
    static void start() throws Exception {
        Path tokens = tmp.resolve("tokens.jsonl");
        server = CharterServer.start(new ServerConfig(0, tmp.resolve("data").toString(), tokens, 64 * 1024,
                Map.of("acme", new ServerConfig.TenantConfig("acme", ServerHttpTest.ACME, null, null, null, Map.of("vercel", FailedDeploy.SECRET)))));
        api = new ApiClient("http://127.0.0.1:" + server.port());
        read = TokenStore.create(tokens, "acme", EnumSet.of(TokenStore.Scope.READ));
        HttpResponse<String> r = HttpClient.newHttpClient().send(FailedDeploy.request("http://127.0.0.1:" + server.port(), "acme", "dlv-exposure-1").build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(202, r.statusCode(), r.body());
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    @Test
    void unknownRoutesAnswerTheJsonErrorShape() throws Exception {
        for (String path : new String[] {"/v1/searches", "/nope", "/v1/events/x/y/z"}) {
            Reply anonymous = api.get(path, null);
            assertTrue(anonymous.contentType().startsWith("application/json"), path + ": " + anonymous.contentType());
            assertError(anonymous, 404, "not_found");
            assertError(api.get(path, read), 404, "not_found");
        }
    }

    /** What Jetty refuses before any route (a malformed header) is JSON too, not an HTML page. */
    @Test
    void aMalformedRequestIsAJsonError() throws Exception {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write("GET /healthz HTTP/1.1\r\nHost: x\r\nBad Header Line\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            String answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            assertTrue(answer.startsWith("HTTP/1.1 400"), answer);
            assertTrue(answer.toLowerCase(java.util.Locale.ROOT).contains("content-type: application/json"), answer);
            String body = answer.substring(answer.indexOf("\r\n\r\n") + 4);
            assertTrue(body.contains("\"code\":\"bad_request\"") && body.matches("(?s).*\"id\":\"err-[0-9a-f]{12}\".*"), body);
        }
    }

    @Test
    void everyErrorCarriesADistinctId() throws Exception {
        String a = api.get("/v1/events", "chr_nope").json().path("error").path("id").asText();
        String b = api.get("/v1/events", "chr_nope").json().path("error").path("id").asText();
        assertTrue(a.matches("err-[0-9a-f]{12}") && b.matches("err-[0-9a-f]{12}"), a + " " + b);
        assertFalse(a.equals(b));
    }

    @Test
    void theNextLinkIsUrlEncodedSoItsTimeKeepsItsPlus() throws Exception {
        String since = "2000-01-01T00:00:00+01:00";
        Reply page = api.get("/v1/events?limit=1&since=" + java.net.URLEncoder.encode(since, StandardCharsets.UTF_8), read);
        assertEquals(200, page.status(), page.text());
        String next = page.json().path("next").asText();
        assertTrue(next.contains("since=2000-01-01T00%3A00%3A00%2B01%3A00"), next);
        String query = next.substring(next.indexOf('?') + 1);
        Optional<String> decoded = java.util.Arrays.stream(query.split("&")).filter(p -> p.startsWith("since="))
                .map(p -> URLDecoder.decode(p.substring(6), StandardCharsets.UTF_8)).findFirst();
        assertEquals(Optional.of(since), decoded);
        Reply followed = api.get(next, read);
        assertEquals(200, followed.status(), followed.text());
    }

    @Test
    void limitZeroIsRefusedTheSameWayOnEveryList() throws Exception {
        for (String list : new String[] {"/v1/events", "/v1/decisions", "/v1/actions", "/v1/violations", "/v1/errors", "/v1/entities"}) {
            assertError(api.get(list + "?limit=0", read), 400, "bad_parameter");
            assertEquals(200, api.get(list + "?limit=1", read).status(), list);
        }
    }

    @Test
    void metricsNeedATokenByDefault() throws Exception {
        assertError(api.get("/metrics", null), 401, "token_missing");
        assertEquals(200, api.get("/metrics", read).status());
    }

    @Test
    void itListensOnLoopbackOnlyByDefaultAndSaysWhere() throws Exception {
        assertEquals("127.0.0.1:" + server.port(), server.boundAddress());
        InetAddress other = null;
        for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (!ni.isUp() || ni.isLoopback()) continue;
            for (InetAddress a : Collections.list(ni.getInetAddresses())) if (a instanceof Inet4Address) other = a;
        }
        assumeTrue(other != null, "this machine has no interface but loopback");
        InetAddress outside = other;
        assertThrows(java.io.IOException.class, () -> {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(outside, server.port()), 2_000);
            }
        }, "reachable on " + outside);
    }

    @Test
    void aTakenPortIsSaidAtOnce() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            ServerConfig c = new ServerConfig(taken.getLocalPort(), tmp.resolve("other").toString(), tmp.resolve("t2.jsonl"), 1024,
                    Map.of("acme", new ServerConfig.TenantConfig("acme", ServerHttpTest.ACME, null, null, null, Map.of())));
            long t0 = System.nanoTime();
            ServerConfig.ConfigException e = assertThrows(ServerConfig.ConfigException.class, () -> CharterServer.start(c));
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(e.getMessage().contains("127.0.0.1:" + taken.getLocalPort()), e.getMessage());
            assertTrue(ms < 1_000, "took " + ms + " ms: the Program was compiled before the port was tried");
        }
    }
}
