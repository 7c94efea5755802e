package charter.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import charter.tests.Charter.Result;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 11's three wrong answers, as a new user met them: a Program folder and `./charter simulate`. */
class SemanticsEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Path program(Path dir, String main) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("charter.yaml"), "name: " + dir.getFileName() + "\n");
        Files.writeString(dir.resolve("main.charter"), main);
        return dir;
    }

    private static JsonNode simulate(Path dir, String events, String intents, String... more) throws IOException {
        Files.writeString(dir.resolve("events.jsonl"), events);
        List<String> args = new ArrayList<>(List.of("simulate", dir.toString(), "--events", dir.resolve("events.jsonl").toString()));
        if (intents != null) {
            Files.writeString(dir.resolve("intents.jsonl"), intents);
            args.addAll(List.of("--intents", dir.resolve("intents.jsonl").toString()));
        }
        args.addAll(List.of(more));
        Result text = Charter.run(args.toArray(String[]::new));
        assertEquals(0, text.code(), text::toString);
        text.assertNoTrace();
        args.addAll(List.of("--format", "json"));
        Result json = Charter.run(args.toArray(String[]::new));
        assertEquals(0, json.code(), json::toString);
        return JSON.readTree(json.out());
    }

    @Test
    void aNotExistsGuardDenies(@TempDir Path tmp) throws IOException {
        Path dir = program(tmp.resolve("b1"), """
                program "b1"
                intent ship(repo: string) { resolve vercel.deploy(project: intent.repo, sha: "x", target: "production") }
                invariant no_recent_resolve "deny unless something was resolved in the last 2h" hard {
                  deny ship where not exists(sentry.issue.resolved r within 2h before intent)
                  because "nothing was resolved recently"
                }
                """);
        JsonNode r = simulate(dir,
                "{\"id\":\"e1\",\"source\":\"sentry\",\"type\":\"sentry.issue.created\",\"time\":\"2026-04-09T08:00:00Z\",\"data\":{\"issue_id\":\"1\",\"project\":\"etl\"}}\n",
                "{\"id\":\"i1\",\"intent\":\"ship\",\"actor\":\"fay\",\"time\":\"2026-04-09T09:00:00Z\",\"params\":{\"repo\":\"northwind/etl\"}}\n");
        JsonNode decision = r.at("/timeline/0");
        assertEquals("deny", decision.get("verdict").asText(), r::toPrettyString);
        assertEquals("no_recent_resolve", decision.at("/denials/0/invariant").asText());
        assertEquals(0, r.at("/summary/actions").asInt());
    }

    @Test
    void twoPatternsOfOneTypeNeverBindOneEvent(@TempDir Path tmp) throws IOException {
        Path dir = program(tmp.resolve("b2"), """
                program "b2"
                rule twice {
                  when sentry.error.created a and sentry.error.created b where b.issue_id == a.issue_id within 10m after a
                  then slack.post(channel: "#e", text: "two errors")
                }
                rule lonely {
                  when sentry.error.created a
                   and not sentry.error.created x where x.issue_id == a.issue_id within 10m after a
                  then slack.post(channel: "#e", text: "lonely ${a.id}")
                }
                """);
        JsonNode one = simulate(dir,
                "{\"id\":\"e1\",\"source\":\"sentry\",\"type\":\"sentry.error.created\",\"time\":\"2026-04-09T09:00:00Z\",\"data\":{\"issue_id\":\"7\"}}\n",
                null, "--at", "2026-04-09T09:30:00Z");
        assertEquals(0, one.at("/summary/countsByRule/twice").asInt(), one::toPrettyString);
        assertEquals(1, one.at("/summary/countsByRule/lonely").asInt(), one::toPrettyString);

        JsonNode three = simulate(dir, """
                {"id":"e1","source":"sentry","type":"sentry.error.created","time":"2026-04-09T09:00:00Z","data":{"issue_id":"7"}}
                {"id":"e2","source":"sentry","type":"sentry.error.created","time":"2026-04-09T09:03:00Z","data":{"issue_id":"7"}}
                {"id":"e3","source":"sentry","type":"sentry.error.created","time":"2026-04-09T10:00:00Z","data":{"issue_id":"7"}}
                """, null, "--at", "2026-04-09T12:00:00Z");
        List<String> lonely = new ArrayList<>();
        for (JsonNode e : three.get("timeline")) {
            if (e.at("/provenance/id").asText().equals("lonely")) lonely.add(e.get("time").asText() + " " + e.at("/args/text").asText());
        }
        assertEquals(List.of("2026-04-09T09:13:00Z lonely e2", "2026-04-09T10:10:00Z lonely e3"), lonely, three::toPrettyString);
        assertEquals(1, three.at("/summary/countsByRule/twice").asInt(), "only (e1, e2)");
    }

    @Test
    void ownerIsNobodyAndAMissingFieldIsNeverEmptyTextNorNull(@TempDir Path tmp) throws IOException {
        Path dir = program(tmp.resolve("b3"), """
                program "b3"
                rule metric_critical {
                  when sentry.metric_alert.critical m
                  then pagerduty.page(team: owner(m.project), summary: "${m.alert_rule} critical on ${m.project}")
                       linear.comment(issue: m.alert_id, body: "critical")
                }
                """);
        JsonNode r = simulate(dir,
                "{\"id\":\"m1\",\"source\":\"sentry\",\"type\":\"sentry.metric_alert.critical\",\"time\":\"2026-04-09T09:00:00Z\",\"data\":{\"alert_rule\":\"p95\"}}\n",
                null);
        String all = r.toString();
        assertEquals(1, r.at("/summary/actions").asInt(), all);
        assertEquals("nobody", r.at("/timeline/0/args/team").asText(), all);
        assertEquals("p95 critical on <missing m.project>", r.at("/timeline/0/args/summary").asText(), all);
        JsonNode error = r.at("/timeline/1");
        assertEquals("error", error.get("kind").asText(), all);
        assertTrue(error.get("message").asText().contains("`m.alert_id` is missing"), all);
        assertEquals(1, r.at("/summary/ruleErrors").asInt());
    }
}
