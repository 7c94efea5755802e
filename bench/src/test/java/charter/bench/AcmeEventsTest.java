package charter.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import charter.engine.event.CanonicalEvent;
import charter.engine.event.EventFileReader;
import charter.engine.event.EventFileResult;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.DayOfWeek;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class AcmeEventsTest {
    /** Tests run in the bench module folder; the recording lives in the sibling program-examples. */
    static final Path FILE = Path.of("../program-examples/acme/events.jsonl");

    private static List<CanonicalEvent> events() {
        EventFileResult r = new EventFileReader().read(FILE);
        assertEquals(List.of(), r.errors());
        return r.events();
    }

    @Test
    void recordedFileValidatesAndSpansTwoWeeks() {
        List<CanonicalEvent> ev = events();
        assertTrue(ev.size() >= 250 && ev.size() <= 350, "events: " + ev.size());
        Instant first = ev.getFirst().time();
        Instant last = ev.getLast().time();
        assertTrue(!first.isBefore(AcmeEventGenerator.ACME_START));
        assertTrue(Duration.between(first, last).toDays() >= 14, first + " .. " + last);
        for (int i = 1; i < ev.size(); i++) {
            assertTrue(!ev.get(i).time().isBefore(ev.get(i - 1).time()), "sorted at " + i);
        }
        Set<String> sources = new HashSet<>();
        ev.forEach(e -> sources.add(e.source()));
        assertEquals(Set.of("github", "vercel", "linear", "sentry"), sources);
    }

    @Test
    void recordedFileIsUpToDateWithTheGenerator() throws IOException {
        StringWriter w = new StringWriter();
        AcmeEventGenerator.write(new AcmeEventGenerator().acme(), w);
        assertEquals(w.toString(), Files.readString(FILE, StandardCharsets.UTF_8),
                "regenerate with AcmeEventGenerator.main (see its javadoc)");
    }

    @Test
    void scriptedIncidentsArePresent() {
        List<CanonicalEvent> ev = events();
        // force-push to main
        assertEquals(1, ev.stream().filter(e -> e.type().equals("github.push") && Boolean.TRUE.equals(e.get("forced"))
                && "main".equals(e.get("branch"))).count());
        // Friday production deploy failure
        assertTrue(ev.stream().anyMatch(e -> e.type().equals("vercel.deployment.error") && "production".equals(e.get("target"))
                && e.time().atZone(ZoneOffset.UTC).getDayOfWeek() == DayOfWeek.FRIDAY));
        // a burst of 3+ production deploy errors within an hour
        List<Instant> prodErrors = ev.stream().filter(e -> e.type().equals("vercel.deployment.error")
                && "production".equals(e.get("target"))).map(CanonicalEvent::time).toList();
        boolean burst = false;
        for (int i = 0; i + 2 < prodErrors.size(); i++) {
            burst |= Duration.between(prodErrors.get(i), prodErrors.get(i + 2)).compareTo(Duration.ofHours(1)) <= 0;
        }
        assertTrue(burst, prodErrors.toString());
        // large PR
        assertEquals(1, ev.stream().filter(e -> e.type().equals("github.pull_request.opened")
                && (double) e.get("additions") + (double) e.get("deletions") > 800).count());
        // fatal Sentry issue assigned 20 minutes after creation
        CanonicalEvent fatal = ev.stream().filter(e -> e.type().equals("sentry.issue.created") && "fatal".equals(e.get("level")))
                .findFirst().orElseThrow();
        CanonicalEvent assigned = ev.stream().filter(e -> e.type().equals("sentry.issue.assigned")
                && fatal.get("issue_id").equals(e.get("issue_id"))).findFirst().orElseThrow();
        assertEquals(Duration.ofMinutes(20), Duration.between(fatal.time(), assigned.time()));
        // exactly one PR merged without any review
        List<String> reviewed = ev.stream().filter(e -> e.type().equals("github.pull_request_review.submitted"))
                .map(e -> e.get("repo") + "#" + e.get("number")).toList();
        long unreviewed = ev.stream().filter(e -> e.type().equals("github.pull_request.closed") && Boolean.TRUE.equals(e.get("merged")))
                .filter(e -> !reviewed.contains(e.get("repo") + "#" + e.get("number"))).count();
        assertEquals(1, unreviewed);
    }

    @Test
    void generatesAMillionEventsQuickly() {
        long t0 = System.nanoTime();
        AtomicLong n = new AtomicLong();
        Instant[] last = {Instant.EPOCH};
        new AcmeEventGenerator().generate(7, AcmeEventGenerator.ACME_START, 1_000_000).forEach(e -> {
            n.incrementAndGet();
            assertTrue(!e.time().isBefore(last[0]));
            last[0] = e.time();
        });
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(1_000_000, n.get());
        assertTrue(ms < 60_000, "took " + ms + " ms");
        System.out.println("generated 1,000,000 events in " + ms + " ms");
    }

    @Test
    void benchmarkStreamIsDeterministicAndValid() {
        StringWriter a = new StringWriter();
        StringWriter b = new StringWriter();
        AcmeEventGenerator.write(new AcmeEventGenerator().generate(99, AcmeEventGenerator.ACME_START, 5000), a);
        AcmeEventGenerator.write(new AcmeEventGenerator().generate(99, AcmeEventGenerator.ACME_START, 5000), b);
        assertEquals(a.toString(), b.toString());
        EventFileResult r = new EventFileReader().read("generated", a.toString());
        assertEquals(List.of(), r.errors().stream().limit(5).toList());
        assertEquals(5000, r.events().size());
    }
}
