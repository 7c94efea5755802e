package charter.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `charter explain` on the acme Program and on small Programs written here: verdicts, evidence, and bad arguments. */
class ExplainCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ACME = Path.of("../program-examples/acme").toAbsolutePath().normalize().toString();
    private static final String EVENTS = ACME + "/events.jsonl";
    private static final String INTENTS = ACME + "/intents.jsonl";

    @Test
    void aFiredRuleShowsTheCombinationAndEachConditionWithItsValue() throws Exception {
        MainTest.Run r = MainTest.run("explain", ACME, "escalate_unassigned_fatal", "--event", "sentry-000151", "--events", EVENTS,
                "--format", "json");
        assertEquals(0, r.code(), r.err());
        JsonNode x = JSON.readTree(r.out());
        assertEquals("fired", x.get("verdict").asText());
        assertEquals("2026-03-10T14:20:00Z", x.get("occurrences").get(0).get("time").asText());
        JsonNode pattern = x.get("steps").get(0);
        assertEquals("pattern", pattern.get("role").asText());
        JsonNode check = pattern.get("candidates").get(0).get("checks").get(0);
        assertEquals("true", check.get("outcome").asText());
        assertEquals("\"fatal\"", check.get("values").get("i.level").asText());
        JsonNode absence = x.get("steps").get(1);
        assertEquals("absence", absence.get("role").asText());
        assertEquals("2026-03-10T14:05:00Z", absence.get("window").get("from").asText());
        assertEquals("2026-03-10T14:20:00Z", absence.get("window").get("to").asText());
    }

    @Test
    void aRuleThatDidNotFireNamesTheFalseConditionAndTheFieldsValue() {
        MainTest.Run r = MainTest.run("explain", ACME, "escalate_unassigned_fatal", "--event", "sentry-000173", "--events", EVENTS);
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("DID NOT FIRE: `i`: sentry-000173: `i.level == \"fatal\"` is false (i.level = \"error\")"), r.out());
        assertTrue(r.out().contains("false    i.level == \"fatal\""), r.out());
    }

    @Test
    void anIntentShowsEveryGuardAndTheExistsThatMatched() throws Exception {
        MainTest.Run r = MainTest.run("explain", ACME, "no_deploy_during_fatal", "--intent", "int-004", "--events", EVENTS,
                "--intents", INTENTS, "--format", "json");
        assertEquals(0, r.code(), r.err());
        JsonNode x = JSON.readTree(r.out());
        assertEquals("denied", x.get("verdict").asText());
        assertEquals("sentry-000151", x.get("steps").get(1).get("candidates").get(0).get("id").asText());
        List<String> guards = x.get("guards").valueStream().map(g -> g.get("invariant").asText() + "=" + g.get("denies").asBoolean()).toList();
        assertEquals(List.of("no_friday_prod_deploys=false", "no_deploy_during_fatal=true", "ship_by_owning_team=false",
                "large_risky_ship=false"), guards);
    }

    @Test
    void aWindowMissIsShownWithItsBoundsAndTheEventOutsideIt(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("charter.yaml"), "name: w\ntimezone: UTC\n");
        Files.writeString(dir.resolve("main.charter"), """
                program "w"
                rule assigned_quickly "Thank whoever assigns a new issue within 10 minutes" {
                  when sentry.issue.created a
                    and sentry.issue.assigned b where b.issue_id == a.issue_id within 10m after a
                  then slack.post(channel: "#thanks", text: "thanks")
                }
                """);
        Files.writeString(dir.resolve("events.jsonl"), """
                {"id":"c1","source":"sentry","type":"sentry.issue.created","time":"2026-03-02T09:00:00Z","data":{"issue_id":"7","project":"api","level":"error"}}
                {"id":"x1","source":"sentry","type":"sentry.issue.assigned","time":"2026-03-02T09:05:00Z","data":{"issue_id":"8","assignee":"ann"}}
                {"id":"b1","source":"sentry","type":"sentry.issue.assigned","time":"2026-03-02T09:12:00Z","data":{"issue_id":"7","assignee":"bob"}}
                """);
        MainTest.Run r = MainTest.run("explain", dir.toString(), "assigned_quickly", "--event", "c1", "--events", dir.resolve("events.jsonl").toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("within 10m after a: 2026-03-02T09:00:00Z .. 2026-03-02T09:10:00Z"), r.out());
        // The nearest candidate in the window (x1: wrong issue) and the reason name what failed.
        assertTrue(r.out().contains("x1 at 2026-03-02T09:05:00Z: 0 of 1 hold"), r.out());
        assertTrue(r.out().contains("false    b.issue_id == a.issue_id   (b.issue_id = \"8\", a.issue_id = \"7\")"), r.out());
        // As the second pattern, the late assignment is outside its anchor's window.
        MainTest.Run late = MainTest.run("explain", dir.toString(), "assigned_quickly", "--event", "b1", "--events", dir.resolve("events.jsonl").toString());
        assertEquals(0, late.code(), late.err());
        assertTrue(late.out().contains("b1 at 2026-03-02T09:12:00Z is outside within 10m after a (2026-03-02T09:00:00Z .. 2026-03-02T09:10:00Z)"), late.out());
    }

    @Test
    void theStoredLogOfTheTenantGivesTheSameExplanationAsTheFile(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("charter.yaml"), "name: s\ntimezone: UTC\n");
        Files.writeString(dir.resolve("main.charter"), """
                program "s"
                rule fatal_issue "Announce fatal issues" {
                  when sentry.issue.created i where i.level == "fatal"
                  then slack.post(channel: "#incidents", text: i.issue_id)
                }
                """);
        Path events = Files.writeString(dir.resolve("events.jsonl"), """
                {"id":"c1","source":"sentry","type":"sentry.issue.created","time":"2026-03-02T09:00:00Z","data":{"issue_id":"7","project":"api","level":"fatal"}}
                {"id":"c2","source":"sentry","type":"sentry.issue.created","time":"2026-03-02T09:01:00Z","data":{"issue_id":"8","project":"api"}}
                """);
        Path data = dir.resolve("data");
        try (var store = charter.engine.store.EventStores.open(data.toString())) {
            int n = 0;
            for (var e : new charter.engine.event.EventFileReader().read(events).events()) {
                store.append("ops", List.of(new charter.engine.store.EventStore.Ingested(
                        new charter.engine.ingest.RawDelivery("sentry", java.util.Map.of(), "{}".getBytes(java.nio.charset.StandardCharsets.UTF_8), e.time()),
                        new charter.engine.ingest.Normalised("d-" + n++, e, List.of(), List.of(), List.of()))));
            }
        }
        for (String id : List.of("c1", "c2")) {
            MainTest.Run file = MainTest.run("explain", dir.toString(), "fatal_issue", "--event", id, "--events", events.toString());
            MainTest.Run stored = MainTest.run("explain", dir.toString(), "fatal_issue", "--event", id, "--from-store",
                    "--data", data.toString(), "--tenant", "ops");
            assertEquals(0, stored.code(), stored.err());
            assertEquals(file.out(), stored.out());
        }
        assertTrue(MainTest.run("explain", dir.toString(), "fatal_issue", "--event", "c2", "--events", events.toString()).out()
                .contains("missing  i.level == \"fatal\"   (i.level = missing)"));
        expectError("no event `c1` in the events (0 read)", "explain", dir.toString(), "fatal_issue", "--event", "c1", "--from-store",
                "--data", data.toString(), "--tenant", "default");
    }

    @Test
    void badQuestionsAreOneLineErrorsWithASuggestion() {
        expectError("the Program has no rule or invariant `escalate_unasigned_fatal`; did you mean `escalate_unassigned_fatal`?",
                "explain", ACME, "escalate_unasigned_fatal", "--event", "sentry-000151", "--events", EVENTS);
        expectError("say what to explain it for: --event ID or --intent ID", "explain", ACME, "escalate_unassigned_fatal", "--events", EVENTS);
        expectError("missing the events: give --events FILE, or --from-store", "explain", ACME, "escalate_unassigned_fatal", "--event", "x");
        expectError("missing the intents: give --intents FILE", "explain", ACME, "no_deploy_during_fatal", "--intent", "int-004");
        // The other refusals are the library's (ExplainerTest); this one shows how a refusal reaches the terminal.
    }

    private static void expectError(String message, String... args) {
        MainTest.Run r = MainTest.run(args);
        assertEquals(1, r.code(), () -> String.join(" ", args) + "\n" + r.out() + r.err());
        assertTrue(r.err().contains(message), () -> "expected `" + message + "` in\n" + r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertEquals("", r.out());
    }
}
