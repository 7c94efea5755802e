package charter.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import charter.server.CharterServer;
import charter.server.ServerConfig;
import charter.server.TokenStore;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `charter intent`: verdicts and their exit codes, typed parameters, errors; locally and against a real server. */
class IntentCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    static final String PROGRAM = """
            program "gate"

            intent ship(project: string, risk: number, canary: bool, regions: list) "Deploy a project" {
              resolve slack.post(channel: "#deploys", text: "${intent.actor} ships ${intent.project} to ${intent.regions}")
            }

            invariant no_deploy_during_fatal "No deploy while a fatal issue is open" hard {
              deny ship where exists(sentry.issue.created i where i.level == "fatal" and i.project == intent.project within 1h before intent)
                because "a fatal error was reported in the last hour"
            }

            invariant low_risk "Risky deploys need a second person" soft {
              deny ship where intent.risk > 5
                because "risk above 5 needs someone else's nod"
            }

            invariant canary_first "Deploy to a canary first" advisory {
              deny ship where not intent.canary
                because "no canary"
            }
            """;

    /** A fatal Sentry issue in project `api` at 10:00. */
    static final String EVENTS = """
            {"id":"sentry-1","source":"sentry","type":"sentry.issue.created","time":"2026-03-10T10:00:00Z","data":{"issue_id":"1","short_id":"API-1","project":"api","level":"fatal","title":"boom","culprit":"x","status":"unresolved","substatus":"new","actor":"sentry","release":"r","sha":"s","environment":"production","platform":"node","count":1,"user_count":1,"first_seen":"2026-03-10T10:00:00Z","url":"https://example.invalid/1"},"entities":[{"type":"sentry_issue","key":"1"}]}
            """;

    record Run(int code, String out, String err) {}

    static Run run(Map<String, String> env, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out), new PrintWriter(err), env);
        return new Run(code, out.toString(), err.toString());
    }

    static Path program(Path dir) throws Exception {
        Files.writeString(dir.resolve("charter.yaml"), "name: gate\nmain: main.charter\ntimezone: UTC\nsources: [sentry]\n");
        Files.writeString(dir.resolve("main.charter"), PROGRAM);
        Files.writeString(dir.resolve("events.jsonl"), EVENTS);
        return dir;
    }

    /** `charter intent ship` against the folder and its events, with the given parameters and extra options. */
    static Run ship(Path dir, String project, String risk, String time, String... more) {
        List<String> args = new ArrayList<>(List.of("intent", "ship", "--program", dir.toString(),
                "--events", dir.resolve("events.jsonl").toString(), "--actor", "dave",
                "--param", "project=" + project, "--param", "risk=" + risk, "--param", "canary=true",
                "--param", "regions=eu, us", "--time", time));
        args.addAll(List.of(more));
        return run(Map.of(), args.toArray(String[]::new));
    }

    @Test
    void allowedPlansItsActionsAndExitsZero(@TempDir Path tmp) throws Exception {
        Run r = ship(program(tmp), "web", "2", "2026-03-10T10:10:00Z");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("allow: intent ship"), r.out());
        assertTrue(r.out().contains("slack.post {\"channel\":\"#deploys\",\"text\":\"dave ships web to eu, us\"}"), r.out());
        assertTrue(r.out().contains("program sha256:"), r.out());
    }

    @Test
    void hardDenialExitsFourWithInvariantLevelReasonAndLocation(@TempDir Path tmp) throws Exception {
        Run r = ship(program(tmp), "api", "2", "2026-03-10T10:10:00Z");
        assertEquals(DecisionText.DENY, r.code(), r.out() + r.err());
        assertTrue(r.out().startsWith("deny: "), r.out());
        assertTrue(r.out().contains("hard no_deploy_during_fatal: a fatal error was reported in the last hour  at main.charter:7:1"), r.out());
        assertTrue(r.out().contains("planned actions: none"), r.out());
    }

    @Test
    void theStateIsReplayedOnlyUpToTheIntentsTime(@TempDir Path tmp) throws Exception {
        // before the fatal issue, and more than an hour after it: both allowed
        assertEquals(0, ship(program(tmp), "api", "2", "2026-03-10T09:59:00Z").code());
        assertEquals(0, ship(tmp, "api", "2", "2026-03-10T11:01:00Z").code());
    }

    @Test
    void softDenialNeedsOverrideAndAnOverrideAllows(@TempDir Path tmp) throws Exception {
        Path dir = program(tmp);
        Run denied = ship(dir, "web", "9", "2026-03-10T10:10:00Z");
        assertEquals(DecisionText.NEEDS_OVERRIDE, denied.code(), denied.out() + denied.err());
        assertTrue(denied.out().contains("soft low_risk: risk above 5 needs someone else's nod"), denied.out());

        Run overridden = ship(dir, "web", "9", "2026-03-10T10:10:00Z", "--override-by", "alice", "--override-reason", "reviewed the rollout",
                "--format", "json");
        assertEquals(0, overridden.code(), overridden.err());
        JsonNode d = JSON.readTree(overridden.out());
        assertEquals("allow", d.get("verdict").asText());
        assertEquals("alice", d.at("/override/actor").asText());
        assertEquals("low_risk", d.at("/denials/0/invariant").asText());
        assertEquals(9.0, d.at("/params/risk").asDouble());
        assertTrue(d.at("/params/canary").asBoolean());
        assertEquals("us", d.at("/params/regions/1").asText());
        assertFalse(d.get("recorded").asBoolean());

        Run half = ship(dir, "web", "9", "2026-03-10T10:10:00Z", "--override-by", "alice");
        assertEquals(1, half.code());
        assertTrue(half.err().contains("--override-reason"), half.err());
    }

    @Test
    void advisoryDenialStillAllows(@TempDir Path tmp) throws Exception {
        Path dir = program(tmp);
        Run r = run(Map.of(), "intent", "ship", "--program", dir.toString(), "--events", dir.resolve("events.jsonl").toString(),
                "--actor", "dave", "--param", "project=web", "--param", "risk=1", "--param", "canary=false",
                "--param", "regions=eu", "--time", "2026-03-10T10:10:00Z");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("advisory canary_first: no canary"), r.out());
    }

    /** The decision is the one `charter simulate` makes for the same intent, whatever the parameters and time. */
    @Test
    void decidesAsSimulateDoes(@TempDir Path tmp) throws Exception {
        Path dir = program(tmp);
        String[] projects = {"api", "web"};
        String[] risks = {"5", "5.5"};
        // at the fatal event's instant (events come first) and exactly an hour after: the window's edges
        String[] times = {"2026-03-10T10:00:00Z", "2026-03-10T11:00:00Z"};
        StringBuilder intents = new StringBuilder();
        List<Integer> codes = new ArrayList<>();
        int n = 0;
        for (String p : projects) {
            for (String risk : risks) {
                for (String t : times) {
                    intents.append("{\"id\":\"i").append(n++).append("\",\"intent\":\"ship\",\"actor\":\"dave\",\"time\":\"").append(t)
                            .append("\",\"params\":{\"project\":\"").append(p).append("\",\"risk\":").append(risk)
                            .append(",\"canary\":true,\"regions\":[\"eu\"]}}\n");
                    codes.add(run(Map.of(), "intent", "ship", "--program", dir.toString(), "--events", dir.resolve("events.jsonl").toString(),
                            "--actor", "dave", "--param", "project=" + p, "--param", "risk=" + risk, "--param", "canary=true",
                            "--param", "regions=eu", "--time", t).code());
                }
            }
        }
        // the intents decide nothing the invariants look at, so one simulation decides them all as if each were alone
        Path all = Files.writeString(tmp.resolve("intents.jsonl"), intents);
        Run sim = run(Map.of(), "simulate", dir.toString(), "--events", dir.resolve("events.jsonl").toString(),
                "--intents", all.toString(), "--format", "json");
        assertEquals(0, sim.code(), sim.err());
        Map<String, Integer> expected = new java.util.HashMap<>();
        for (JsonNode e : JSON.readTree(sim.out()).get("timeline")) {
            if (!e.path("kind").asText().equals("decision")) continue;
            expected.put(e.path("intentId").asText(), switch (e.path("verdict").asText()) {
                case "allow" -> 0;
                case "needs-override" -> 3;
                default -> 4;
            });
        }
        assertEquals(n, expected.size(), sim.out());
        for (int i = 0; i < n; i++) assertEquals(expected.get("i" + i), codes.get(i), "intent " + intents.toString().lines().toList().get(i));
        assertTrue(codes.contains(0) && codes.contains(3) && codes.contains(4), codes.toString());
    }

    @Test
    void aBadlyTypedParameterIsOneLineNamingItsType(@TempDir Path tmp) throws Exception {
        Run r = ship(program(tmp), "web", "high", "2026-03-10T10:10:00Z");
        assertEquals(1, r.code());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().contains("--param risk=high: parameter `risk` of intent `ship` is a number, not a number"), r.err());

        Run bool = run(Map.of(), "intent", "ship", "--program", tmp.toString(), "--events", tmp.resolve("events.jsonl").toString(),
                "--actor", "dave", "--param", "project=web", "--param", "risk=1", "--param", "canary=yes", "--param", "regions=eu");
        assertEquals(1, bool.code());
        assertTrue(bool.err().contains("`canary` of intent `ship` is a bool: give true or false"), bool.err());
    }

    @Test
    void unknownIntentAndParameterGetDidYouMean(@TempDir Path tmp) throws Exception {
        Path dir = program(tmp);
        Run r = run(Map.of(), "intent", "shp", "--program", dir.toString(), "--events", dir.resolve("events.jsonl").toString(), "--actor", "dave");
        assertEquals(1, r.code());
        assertEquals("charter: unknown intent `shp`; did you mean `ship`?", r.err().strip());

        Run p = ship(dir, "web", "1", "2026-03-10T10:10:00Z", "--param", "projet=x");
        assertEquals(1, p.code());
        assertTrue(p.err().contains("intent `ship` has no parameter `projet`; did you mean `project`?"), p.err());

        Run missing = run(Map.of(), "intent", "ship", "--program", dir.toString(), "--events", dir.resolve("events.jsonl").toString(),
                "--actor", "dave", "--param", "project=web");
        assertEquals(1, missing.code());
        assertTrue(missing.err().contains("intent `ship` needs parameter `risk` (number)"), missing.err());
    }

    @Test
    void fromTheStoreDecidesAgainstTheTenantsLog(@TempDir Path tmp) throws Exception {
        Path dir = program(Files.createDirectory(tmp.resolve("program")));
        Path data = tmp.resolve("data");
        charter.engine.event.CanonicalEvent fatal = new charter.engine.event.EventFileReader()
                .read("events.jsonl", EVENTS).events().getFirst();
        try (var store = charter.engine.store.EventStores.open(data.toString())) {
            store.append("ops", List.of(new charter.engine.store.EventStore.Ingested(
                    new charter.engine.ingest.RawDelivery("sentry", Map.of(), "{}".getBytes(java.nio.charset.StandardCharsets.UTF_8), fatal.time()),
                    new charter.engine.ingest.Normalised("d-1", fatal, List.of(), List.of(), List.of()))));
        }
        String[] args = {"intent", "ship", "--program", dir.toString(), "--from-store", "--data", data.toString(),
                "--actor", "dave", "--param", "project=api", "--param", "risk=1", "--param", "canary=true", "--param", "regions=eu",
                "--time", "2026-03-10T10:30:00Z", "--tenant"};
        assertEquals(DecisionText.DENY, run(Map.of(), concat(args, "ops")).code());
        // another tenant's log holds no fatal issue
        Run other = run(Map.of(), concat(args, "default"));
        assertEquals(0, other.code(), other.err());
    }

    @Test
    void needsStateOrAServer(@TempDir Path tmp) throws Exception {
        Run r = run(Map.of(), "intent", "ship", "--program", program(tmp).toString(), "--actor", "dave");
        assertEquals(1, r.code());
        assertTrue(r.err().contains("give --events FILE, --from-store, or --server URL"), r.err());
    }

    @Test
    void serverWithoutTokenIsAUserError() {
        Run r = run(Map.of(), "intent", "ship", "--server", "http://127.0.0.1:9", "--actor", "dave", "--param", "project=web");
        assertEquals(1, r.code());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().contains("set CHARTER_TOKEN"), r.err());

        Run unreachable = run(Map.of("CHARTER_TOKEN", "chr_x"), "intent", "ship", "--server", "http://127.0.0.1:9", "--actor", "dave");
        assertEquals(1, unreachable.code(), unreachable.err());
        assertEquals(1, unreachable.err().lines().count(), unreachable.err());
        assertTrue(unreachable.err().startsWith("charter: cannot reach the server at http://127.0.0.1:9"), unreachable.err());
    }

    @Test
    void decidesOnARealServer(@TempDir Path tmp) throws Exception {
        Path dir = program(Files.createDirectory(tmp.resolve("program")));
        Path tokens = tmp.resolve("tokens.jsonl");
        CharterServer server = CharterServer.start(new ServerConfig(0, tmp.resolve("data").toString(), tokens, 64 * 1024,
                Map.of("gate", new ServerConfig.TenantConfig("gate", dir, null, null, null, Map.of()))));
        try {
            String token = TokenStore.create(tokens, "gate", EnumSet.of(TokenStore.Scope.READ, TokenStore.Scope.INTENTS));
            String readOnly = TokenStore.create(tokens, "gate", EnumSet.of(TokenStore.Scope.READ));
            String url = "http://127.0.0.1:" + server.port();
            String[] risky = {"intent", "ship", "--server", url, "--program", dir.toString(), "--actor", "dave",
                    "--param", "project=web", "--param", "risk=9", "--param", "canary=true", "--param", "regions=eu,us"};

            Run dry = run(Map.of("CHARTER_TOKEN", token), concat(risky, "--dry-run", "--format", "json"));
            assertEquals(DecisionText.NEEDS_OVERRIDE, dry.code(), dry.err());
            JsonNode d = JSON.readTree(dry.out());
            assertEquals("needs-override", d.get("verdict").asText());
            assertTrue(d.get("dryRun").asBoolean());
            assertFalse(d.get("recorded").asBoolean());

            Run recorded = run(Map.of("CHARTER_TOKEN", token), concat(risky, "--override-by", "alice", "--override-reason", "reviewed"));
            assertEquals(0, recorded.code(), recorded.err());
            assertTrue(recorded.out().contains("overridden by alice: reviewed"), recorded.out());
            assertTrue(recorded.out().contains("recorded as #"), recorded.out());

            Run refused = run(Map.of("CHARTER_TOKEN", token), "intent", "shipp", "--server", url, "--actor", "dave");
            assertEquals(1, refused.code());
            assertEquals(1, refused.err().lines().count(), refused.err());
            assertTrue(refused.err().startsWith("charter: the server refused the intent: invalid_intent: unknown intent `shipp`; did you mean `ship`?"),
                    refused.err());

            // Without --program the parameters are typed by the live Program's declaration on the server.
            Run remote = run(Map.of("CHARTER_TOKEN", token), "intent", "ship", "--server", url, "--actor", "dave", "--dry-run",
                    "--param", "project=web", "--param", "risk=9", "--param", "canary=true", "--param", "regions=eu,us", "--format", "json");
            assertEquals(DecisionText.NEEDS_OVERRIDE, remote.code(), remote.err());
            Run badNumber = run(Map.of("CHARTER_TOKEN", token), "intent", "ship", "--server", url, "--actor", "dave",
                    "--param", "project=web", "--param", "risk=high");
            assertEquals(1, badNumber.code());
            assertTrue(badNumber.err().contains("parameter `risk` of intent `ship` is a number, not a number"), badNumber.err());

            Run noScope = run(Map.of("CHARTER_TOKEN", readOnly), risky);
            assertEquals(1, noScope.code());
            assertTrue(noScope.err().contains("the server refused the intent: "), noScope.err());
        } finally {
            server.close();
        }
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
