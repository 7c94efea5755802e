package charter.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Exit codes and one-line messages, in process. */
class MainTest {
    record Run(int code, String out, String err) {}

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out), new PrintWriter(err), Map.of());
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void missingFolderIsOneLine(@TempDir Path tmp) {
        Run r = run("check", tmp.resolve("nope").toString());
        assertEquals(1, r.code());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().startsWith("charter: not a Program folder"), r.err());
    }

    @Test
    void aFileIsNotAProgramFolder(@TempDir Path tmp) throws Exception {
        Path file = Files.writeString(tmp.resolve("main.charter"), "program \"x\"\n");
        Run r = run("compile", file.toString());
        assertEquals(1, r.code());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().contains("is a file"), r.err());
    }

    @Test
    void badAtIsOneLine(@TempDir Path tmp) throws Exception {
        Files.writeString(tmp.resolve("e.jsonl"), "");
        Run r = run("simulate", tmp.toString(), "--events", tmp.resolve("e.jsonl").toString(), "--at", "friday");
        assertEquals(1, r.code());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().contains("'friday' is not an ISO-8601 instant"), r.err());
    }

    @Test
    void missingEventsFileIsOneLine(@TempDir Path tmp) {
        Run r = run("simulate", tmp.toString(), "--events", tmp.resolve("none.jsonl").toString());
        assertEquals(1, r.code());
        assertTrue(r.err().startsWith("charter: events file not found: "), r.err());
    }

    @Test
    void referenceEngineGivesTheSameDryRun(@TempDir Path tmp) throws Exception {
        Files.writeString(tmp.resolve("charter.yaml"), "name: b1\n");
        Files.writeString(tmp.resolve("main.charter"), """
                program "b1"
                intent ship(repo: string) { resolve vercel.deploy(project: intent.repo, sha: "x", target: "production") }
                invariant no_recent_resolve "deny unless something was resolved in the last 2h" hard {
                  deny ship where not exists(sentry.issue.resolved r within 2h before intent)
                  because "nothing was resolved recently"
                }
                """);
        Files.writeString(tmp.resolve("e.jsonl"), """
                {"id":"e1","source":"sentry","type":"sentry.issue.created","time":"2026-04-09T08:00:00Z","data":{"issue_id":"1","project":"etl"}}
                """);
        Files.writeString(tmp.resolve("i.jsonl"), """
                {"id":"i1","intent":"ship","actor":"fay","time":"2026-04-09T09:00:00Z","params":{"repo":"northwind/etl"}}
                """);
        String[] args = {"simulate", tmp.toString(), "--events", tmp.resolve("e.jsonl").toString(), "--intents",
                tmp.resolve("i.jsonl").toString(), "--format", "json"};
        Run compiled = run(args);
        Run reference = run(java.util.stream.Stream.concat(java.util.Arrays.stream(args), java.util.stream.Stream.of("--engine", "reference"))
                .toArray(String[]::new));
        assertEquals(0, compiled.code(), compiled.err());
        assertEquals(compiled.out(), reference.out());
        assertTrue(reference.out().contains("\"deny\""), reference.out());
    }

    @Test
    void helpAndVersion() {
        Run help = run("check", "--help");
        assertEquals(0, help.code());
        assertTrue(help.out().contains("Usage: charter check"), help.out());
        Run version = run("--version");
        assertEquals(0, version.code());
        assertTrue(version.out().startsWith("charter "), version.out());
        Run none = run();
        assertEquals(1, none.code());
        assertTrue(none.err().contains("Commands:"), none.err());
        Run unknown = run("frobnicate");
        assertEquals(1, unknown.code());
        assertFalse(unknown.err().contains("Exception"), unknown.err());
    }

    /** Acknowledged events missing from the log (an older charter.db put back): `charter events` says so and does not exit 0. */
    @Test
    void eventsOnAStoreShortOfWhatItAcknowledgedDoesNotExit0(@TempDir Path tmp) throws Exception {
        Path data = tmp.resolve("data");
        Path body = Files.writeString(tmp.resolve("d.json"), Files.readString(Path.of("../engine/src/test/resources/corpus/vercel/DeploymentError.json")));
        assertEquals(0, run("ingest", "--data", data.toString(), "--source", "vercel", body.toString()).code());
        assertEquals(0, run("events", "--data", data.toString()).code());
        Files.writeString(data.resolve("charter.db.acked"), "default 9\n");   // as if 9 events had been acknowledged
        Run r = run("events", "--data", data.toString());
        assertEquals(1, r.code(), r.err());
        assertTrue(r.err().contains("the store is not sound") && r.err().contains("acknowledged"), r.err());
    }
}
