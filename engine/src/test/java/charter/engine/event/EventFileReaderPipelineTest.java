package charter.engine.event;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A file read as bytes goes through two threads (one splits, decodes and parses lines, the other
 * checks them and keeps the events); read as characters it goes through one. Both must give the
 * same events and the same errors, in the same order, whatever the lines: valid events, malformed
 * JSON, unknown types and fields, duplicate ids, comments and blank lines, more lines than a batch
 * and more errors than are reported.
 */
class EventFileReaderPipelineTest {
    private static final List<String> LINES = List.of(
            "{\"id\":\"%s\",\"source\":\"sentry\",\"type\":\"sentry.issue.created\",\"time\":\"2026-03-02T09:00:00Z\",\"data\":{\"issue_id\":\"7\",\"project\":\"api\",\"level\":\"fatal\"}}",
            "{\"id\":\"%s\",\"source\":\"vercel\",\"type\":\"vercel.deployment.error\",\"time\":\"2026-03-02T09:01:00.250+01:00\",\"data\":{\"project\":\"api\",\"target\":\"production\"}}",
            "{\"id\":\"dup\",\"source\":\"sentry\",\"type\":\"sentry.issue.resolved\",\"time\":\"2026-03-02T10:00:00Z\",\"data\":{\"issue_id\":\"7\"}}",
            "{\"id\":\"%s\",\"source\":\"sentry\",\"type\":\"sentry.issue.creatd\",\"time\":\"2026-03-02T09:00:00Z\"}",
            "{\"id\":\"%s\",\"source\":\"sentry\",\"type\":\"sentry.issue.created\",\"time\":\"yesterday\",\"data\":{\"levl\":\"fatal\"}}",
            "{\"id\":\"%s\",\"source\":\"sentry\",\"type\":\"sentry.issue.created\",\"time\":\"2026-03-02T09:00:00Z\",\"data\":{\"issue_id\":7}}",
            "{\"id\":\"%s\",\"source\":\"sentry\",\"type\":\"sentry.issue.created\",\"time\":\"2026-03-02T09:00:00Z\",\"id\":\"twice\"}",
            "{\"id\":\"%s\",\"source\":\"sentry\",\"type\":",
            "[1,2,3]",
            "{\"id\":\"%s\",\"extra\":true}",
            "{\"id\":\"%s\",\"source\":\"linear\",\"type\":\"linear.issue.created\",\"time\":\"2026-03-02T09:00:00Z\",\"data\":{\"title\":\"Ünïcödé — ok\"}} trailing",
            "   ",
            "",
            "# a comment",
            "// another",
            "\r",
            "{\"id\":\"%s\",\"source\":\"github\",\"type\":\"github.pull_request.opened\",\"time\":\"2026-03-02T09:00:00Z\",\"data\":{\"labels\":[\"a\",\"b\"],\"title\":\"naïve\"}}\r");

    @Test
    void bytesThroughTwoThreadsReadAsCharactersThroughOne() {
        EventFileReader reader = new EventFileReader();
        Random random = new Random(20261206L);
        for (int file = 0; file < 60; file++) {
            int lines = switch (file % 4) {
                case 0 -> random.nextInt(5);
                case 1 -> random.nextInt(600);
                case 2 -> 2_000 + random.nextInt(2_000);   // past a batch, past the error limit when bad lines are common
                default -> 300 + random.nextInt(300);
            };
            double good = random.nextDouble();
            List<String> text = new ArrayList<>();
            for (int i = 0; i < lines; i++) {
                String line = random.nextDouble() < good ? LINES.get(random.nextInt(2)) : LINES.get(random.nextInt(LINES.size()));
                text.add(line.formatted("e" + file + "-" + i));
            }
            String content = String.join("\n", text) + (random.nextBoolean() ? "\n" : "");
            byte[] bytes = ((file % 5 == 0 ? "\uFEFF" : "") + content).getBytes(StandardCharsets.UTF_8);
            EventFileResult piped = reader.read("f.jsonl", new ByteArrayInputStream(bytes));
            EventFileResult direct = reader.read("f.jsonl", new String(bytes, StandardCharsets.UTF_8));
            assertEquals(direct.errors(), piped.errors(), "file " + file);
            assertEquals(direct.events(), piped.events(), "file " + file);
        }
    }
}
