package charter.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import charter.engine.event.CanonicalEvent;
import charter.engine.event.EntityRef;
import charter.engine.ingest.Normalised;
import charter.engine.ingest.RawDelivery;
import charter.engine.store.EventStore;
import charter.engine.store.EventStores;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `charter search --data`: the index is built from the log on first use, text and JSON answers, bad input is exit 1. */
class SearchCommandTest {
    @TempDir
    Path dir;

    record Run(int code, String out, String err) {}

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out), new PrintWriter(err), Map.of());
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void searchesTheStoredLogWithCitations() throws Exception {
        Path data = dir.resolve("data");
        try (EventStore store = EventStores.open(data.toString())) {
            CanonicalEvent fatal = new CanonicalEvent("sentry:d-1", "sentry", "sentry.issue.created", Instant.parse("2026-03-06T16:00:00Z"),
                    Map.of("title", "TypeError: checkout total is undefined", "level", "fatal", "url", "https://acme.sentry.io/issues/42/"),
                    List.of(new EntityRef("sentry_issue", "42")), 90);
            store.append("default", List.of(new EventStore.Ingested(
                    new RawDelivery("sentry", Map.of(), "{}".getBytes(StandardCharsets.UTF_8), fatal.time()),
                    new Normalised("d-1", fatal, List.of(), List.of(), List.of()))));
        }
        Run text = run("search", "checkout", "--data", data.toString());
        assertEquals(0, text.code(), text.err());
        assertEquals("", text.err(), "nothing on stderr");
        assertTrue(text.out().startsWith("1 event matches \"checkout\""), text.out());
        assertTrue(text.out().contains("sentry:d-1") && text.out().contains("https://acme.sentry.io/issues/42/")
                && text.out().contains("**checkout**"), text.out());

        Run json = run("search", "--entity", "sentry_issue:42", "--format", "json", "--data", data.toString());
        assertEquals(0, json.code(), json.err());
        JsonNode r = new ObjectMapper().readTree(json.out());
        assertEquals("sentry:d-1", r.get("hits").get(0).get("eventId").asText());

        Run none = run("search", "nothing-like-it", "--source", "github", "--data", data.toString());
        assertEquals(0, none.code(), none.err());
        assertTrue(none.out().startsWith("0 events match"), none.out());

        Run bad = run("search", "--data", data.toString());
        assertEquals(1, bad.code());
        assertTrue(bad.err().contains("give words to search for"), bad.err());
        assertEquals(1, run("search", "x", "--limit", "0", "--data", data.toString()).code());
        Run noStore = run("search", "x", "--data", dir.resolve("nowhere").toString());
        assertEquals(1, noStore.code());
        assertTrue(noStore.err().contains("no store"), noStore.err());
    }
}
