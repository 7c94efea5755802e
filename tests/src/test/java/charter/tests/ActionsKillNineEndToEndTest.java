package charter.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import charter.connect.fake.FakeGitHub;
import charter.connect.fake.FakeLinear;
import charter.connect.fake.FakePagerDuty;
import charter.connect.fake.FakeSlack;
import charter.connect.fake.FakeTool;
import charter.connect.fake.FakeWebhookReceiver;
import charter.connect.fake.Received;
import charter.engine.ingest.VercelSignatureVerifier;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The outbox's promise through the real launcher: `./charter serve` acts live on five fake tools (PagerDuty,
 * Slack, Linear, GitHub, a webhook receiver for http.post; real HTTP on loopback, each answering in 100 ms),
 * signed webhooks plan five actions each, the server's JVM is killed with `kill -9` while actions are in
 * flight, and a second server on the same data directory finishes the outbox. Each fake then holds every
 * action as often as docs/act/connectors.md's guarantee table says: once where the tool deduplicates
 * (exactly once: PagerDuty's dedup_key, Linear's client id, http.post's Idempotency-Key at a receiver that
 * keeps the first), once where the connector looks for its mark before sending again (at least once,
 * deduplicated: Slack, GitHub; the fakes list what they made at once, so the lookup cannot miss it).
 */
class ActionsKillNineEndToEndTest {
    static final String VERCEL_SECRET = "kill-nine-vercel-secret";
    static final String TOOL_TOKEN = "kill-nine-tool-token";
    static final String SIGNING_SECRET = "kill-nine-signing-secret";
    static final int WEBHOOKS = 30;
    static final List<String> TOOLS = List.of("pagerduty.page", "slack.post", "linear.create_issue", "github.create_issue", "http.post");
    static final Pattern DEPLOYMENT = Pattern.compile("dpl_kill-\\d+");

    @TempDir
    Path tmp;

    @Test
    void everyActionInFlightAtAKillNineArrivesAsOftenAsItsToolsGuaranteeSays() throws Exception {
        try (FakePagerDuty pagerDuty = new FakePagerDuty(Set.of("kill-nine-routing-key"));
             FakeSlack slack = new FakeSlack(TOOL_TOKEN);
             FakeLinear linear = new FakeLinear(TOOL_TOKEN);
             FakeGitHub github = new FakeGitHub(TOOL_TOKEN);
             FakeWebhookReceiver receiver = new FakeWebhookReceiver(SIGNING_SECRET)) {
            List<FakeTool> fakes = List.of(pagerDuty, slack, linear, github, receiver);
            for (FakeTool f : fakes) f.latency(Duration.ofMillis(100));   // slow tools: the kill finds requests on the wire
            Path config = configure(pagerDuty, slack, linear, github, receiver);
            Map<String, String> env = Map.of("KILL_VERCEL_SECRET", VERCEL_SECRET, "KILL_TOOL_TOKEN", TOOL_TOKEN,
                    "KILL_PD_KEY", "kill-nine-routing-key", "KILL_SIGNING_SECRET", SIGNING_SECRET);
            Charter.Result token = Charter.runIn(tmp, "token", "create", "--config", config.toString(), "--tenant", "acme", "--scopes", "read");
            assertEquals(0, token.code(), token.toString());
            String read = token.out().strip();

            List<String> acknowledged = new ArrayList<>();
            int atKill;
            try (Served first = Served.start(tmp, config, env)) {
                assertTrue(ProcessHandle.of(first.pid()).flatMap(h -> h.info().command()).orElse("").endsWith("/java"),
                        "the launcher execs the JVM: its pid is the server's");
                for (int i = 0; i < WEBHOOKS; i++) if (deliver(first, "kill-" + i)) acknowledged.add("kill-" + i);
                assertEquals(WEBHOOKS, acknowledged.size(), "every webhook is acknowledged while the server is up");
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (received(fakes) < 12 && System.nanoTime() < deadline) Thread.sleep(2);
                first.killNine();   // the JVM itself, with requests in flight at the slow fakes
                atKill = received(fakes);
            }
            int planned = WEBHOOKS * TOOLS.size();
            assertTrue(atKill >= 12 && atKill < planned, "the kill came with " + atKill + " of " + planned + " tool requests made");

            try (Served second = Served.start(tmp, config, env)) {
                List<JsonNode> actions = settled(second, read, planned);
                Map<String, List<String>> byTool = new TreeMap<>();
                int retaken = 0;
                for (JsonNode a : actions) {
                    assertEquals("done", a.get("status").asText(), () -> "every action ends done: " + a);
                    byTool.computeIfAbsent(a.get("tool").asText(), t -> new ArrayList<>()).add(a.get("id").asText());
                    if (a.get("attempts").asInt() > 1) retaken++;
                }
                assertEquals(TOOLS.stream().sorted().toList(), List.copyOf(byTool.keySet()));
                for (String tool : TOOLS) assertEquals(WEBHOOKS, byTool.get(tool).size(), tool + " actions");
                assertTrue(retaken > 0, "some action was on the wire at the kill and was taken over after the restart");

                // Exactly once: one incident per dedup_key (= action id), however often the trigger arrived.
                Map<String, Long> triggers = count(pagerDuty.events(), e -> e.path("dedup_key").asText());
                assertEachOnce("pagerduty.page", byTool.get("pagerduty.page"), pagerDuty.incidents().keySet(), triggers);
                assertEquals(WEBHOOKS, pagerDuty.pages(), "pages");
                // Exactly once: Linear refuses a second create with the action's id; one issue per planned issue.
                Map<String, Long> issuesPerDeployment = count(linear.issues(), i -> deployment(i.title()));
                assertEquals(WEBHOOKS, linear.issues().size(), () -> "Linear issues: " + issuesPerDeployment);
                issuesPerDeployment.forEach((d, n) -> assertEquals(1L, n, "Linear issues for " + d));
                // Exactly once at a receiver that keeps the first request per Idempotency-Key (= action id).
                Map<String, Long> posts = count(receiver.received(), r -> r.header("idempotency-key"));
                assertEachOnce("http.post", byTool.get("http.post"),
                        receiver.deliveries().stream().map(FakeWebhookReceiver.Delivery::idempotencyKey).collect(Collectors.toSet()), posts);
                assertEquals(WEBHOOKS, receiver.deliveries().size(), "deliveries kept");
                assertEquals(List.of(), receiver.refused(), "every http.post is signed with the tenant's secret");
                // At least once, deduplicated: the mark the connector leaves (Slack metadata, GitHub's body marker).
                Map<String, Long> messages = count(slack.messages(), m -> m.metadata().path("event_payload").path("action_id").asText());
                assertEachAtLeastOnceDeduplicated("slack.post", byTool.get("slack.post"), messages);
                Map<String, Long> issues = count(github.issues(), i -> marker(i.body()));
                assertEachAtLeastOnceDeduplicated("github.create_issue", byTool.get("github.create_issue"), issues);

                System.out.printf("kill -9 through ./charter: %d actions, %d tool requests before the kill, %d in all, %d actions taken over%n",
                        actions.size(), atKill, received(fakes), retaken);
            }
        }
    }

    /** Exactly once: the tool holds each action once ({@code held}), and nothing it holds is not an action. */
    private static void assertEachOnce(String tool, List<String> actionIds, Set<String> held, Map<String, Long> arrivals) {
        for (String id : actionIds) {
            assertTrue(arrivals.getOrDefault(id, 0L) >= 1, tool + ": " + id + " never arrived");
            assertTrue(held.contains(id), tool + ": " + id + " arrived but the tool does not hold it");
        }
        assertEquals(Set.copyOf(actionIds), held, tool + ": what the tool holds");
    }

    /**
     * At least once, deduplicated: each action's object exists, and (the lookup before every later attempt
     * finds what the fake made, which it lists at once) only one.
     */
    private static void assertEachAtLeastOnceDeduplicated(String tool, List<String> actionIds, Map<String, Long> objects) {
        for (String id : actionIds) assertEquals(1L, objects.getOrDefault(id, 0L), tool + ": objects carrying " + id);
        assertEquals(Set.copyOf(actionIds), objects.keySet(), tool + ": every object the tool holds is one of the actions");
    }

    private Path configure(FakePagerDuty pagerDuty, FakeSlack slack, FakeLinear linear, FakeGitHub github, FakeWebhookReceiver receiver)
            throws Exception {
        Path program = Files.createDirectories(tmp.resolve("killnine"));
        Files.writeString(program.resolve("charter.yaml"), """
                name: killnine
                main: main.charter
                sources: [vercel]
                connectors:
                  pagerduty.page: live
                  slack.post: live
                  linear.create_issue: live
                  github.create_issue: live
                  http.post: live
                """);
        Files.writeString(program.resolve("main.charter"), """
                program "killnine"

                person alice {
                  name "Alice Chen"
                  vercel "alice"
                }

                team platform "Platform" {
                  members alice
                  owns project "api"
                }

                rule tell_every_tool "A failed deploy goes to every tool" {
                  when vercel.deployment.error d
                  then pagerduty.page(team: team platform, summary: "Deploy ${d.deployment_id} failed", severity: "error")
                       slack.post(channel: "#deploys", text: "Deploy ${d.deployment_id} failed")
                       linear.create_issue(team: team platform, title: "Deploy ${d.deployment_id} failed")
                       github.create_issue(repo: "acme/api", title: "Deploy ${d.deployment_id} failed")
                       http.post(url: "%s/deploys", body: "{\\"deployment\\": \\"${d.deployment_id}\\"}")
                }
                """.formatted(receiver.baseUrl()));
        Path config = tmp.resolve("charter-serve.yaml");
        // A short lease, so the second server takes the actions the first was sending over within seconds;
        // two in flight per tool, so the outbox drains over a few seconds and the kill lands in the middle.
        Files.writeString(config, """
                data: data
                tokens: tokens.jsonl
                actions:
                  lease_seconds: 2
                  poll_millis: 50
                  backoff_base_millis: 50
                  backoff_cap_seconds: 1
                tenants:
                  acme:
                    program: %s
                    secrets: {vercel: env:KILL_VERCEL_SECRET}
                    connectors:
                      pagerduty: {base_url: "%s", routing_key: "env:KILL_PD_KEY", concurrency: 2}
                      slack: {base_url: "%s", token: "env:KILL_TOOL_TOKEN", concurrency: 2}
                      linear: {base_url: "%s", api_key: "env:KILL_TOOL_TOKEN", "team:platform": "ENG", concurrency: 2}
                      github: {base_url: "%s", token: "env:KILL_TOOL_TOKEN", concurrency: 2}
                      http: {signing_secret: "env:KILL_SIGNING_SECRET", concurrency: 2}
                """.formatted(program, pagerDuty.baseUrl(), slack.baseUrl(), linear.baseUrl(), github.baseUrl()));
        return config;
    }

    /** A signed failed deploy of Vercel's shape, under its own delivery and deployment id. */
    private static boolean deliver(Served server, String id) throws Exception {
        String template = Files.readString(Charter.root().resolve("engine/src/test/resources/corpus/vercel/DeploymentError.json"));
        byte[] body = template.replace("\"id\": \"ZqayS9s1AVuTRjB83vVSA2me\"", "\"id\": \"" + id + "\"")
                .replace("dpl_12yAAMp54JKe1XxonMYqW4oWtK5K", "dpl_" + id).getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> r = server.post("/webhooks/acme/vercel",
                Map.of("x-vercel-signature", VercelSignatureVerifier.sign(VERCEL_SECRET.getBytes(StandardCharsets.UTF_8), body)), body);
        assertEquals(202, r.statusCode(), r.body());
        return true;
    }

    /** Waits (bounded) until the tenant's outbox holds {@code expected} actions, none still to be sent; them. */
    private static List<JsonNode> settled(Served server, String token, int expected) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        List<JsonNode> actions = List.of();
        while (System.nanoTime() < deadline) {
            actions = server.pages(token, "/v1/actions", "actions");
            if (actions.size() >= expected && actions.stream().allMatch(a -> Set.of("done", "failed", "cancelled").contains(a.get("status").asText()))) {
                return actions;
            }
            Thread.sleep(200);
        }
        fail("the outbox did not settle after the restart: " + actions.stream().map(a -> a.get("tool").asText() + " " + a.get("status").asText())
                .collect(Collectors.groupingBy(s -> s, TreeMap::new, Collectors.counting())) + " (expected " + expected + " actions)\n" + server.output());
        return actions;
    }

    private static int received(List<FakeTool> fakes) {
        return fakes.stream().mapToInt(f -> (int) f.received().stream().filter(ActionsKillNineEndToEndTest::isWrite).count()).sum();
    }

    /** A request that carries an action out (not a connector's lookup). */
    private static boolean isWrite(Received r) {
        return r.method().equals("POST") && !r.path().endsWith("/conversations.history") && !r.path().endsWith("/conversations.list")
                && !(r.path().equals("/graphql") && !r.body().contains("mutation"));
    }

    private static <T> Map<String, Long> count(List<T> items, Function<T, String> key) {
        Map<String, Long> out = new HashMap<>();
        for (T item : items) out.merge(key.apply(item), 1L, Long::sum);
        return out;
    }

    private static String deployment(String text) {
        Matcher m = DEPLOYMENT.matcher(text);
        return m.find() ? m.group() : "?";
    }

    private static String marker(String body) {
        Matcher m = Pattern.compile("<!-- charter-action: (\\S+) -->\\s*$").matcher(body == null ? "" : body);
        return m.find() ? m.group(1) : "?";
    }
}
