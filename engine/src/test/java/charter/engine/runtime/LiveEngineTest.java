package charter.engine.runtime;

import static charter.engine.runtime.SimulatorTest.compile;
import static charter.engine.runtime.SimulatorTest.event;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import charter.compiler.CompiledProgram;
import charter.engine.event.CanonicalEvent;
import charter.engine.result.TimelineEntry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LiveEngineTest {
    private static final String PAGE = """
            program "t"
            rule page {
              when vercel.deployment.error d where d.target == "production"
              then slack.post(channel: "#incidents", text: "%s ${d.project}")
            }
            rule escalate {
              when sentry.issue.created i where i.level == "fatal"
                and not sentry.issue.assigned a where a.issue_id == i.issue_id within 15m after i
              then pagerduty.page(team: "platform", summary: "%s ${i.title}")
            }
            """;

    private static CompiledProgram version(String label) {
        return compile(PAGE.formatted(label, label)).withVersion(label);
    }

    private static final String WITH_FUNCTION = """
            program "t"
            function js shout(s: string): string {
              return s.toUpperCase() + " %s"
            }
            rule page {
              when vercel.deployment.error d where d.target == "production"
              then slack.post(channel: "#incidents", text: shout(d.project))
            }
            """;

    private static long jsWorkerThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().matches("charter-js-\\d+")).count();
    }

    /** A swapped-out version's JavaScript workers (a thread and a context each) are closed once it is out. */
    @Test
    void swapsDoNotLeaveTheOldVersionsJavaScriptWorkersBehind() throws Exception {
        List<TimelineEntry> out = Collections.synchronizedList(new ArrayList<>());
        Instant start = Instant.parse("2026-03-02T00:00:00Z");
        long before = jsWorkerThreads();
        List<CompiledProgram> versions = new ArrayList<>();
        for (int v = 0; v <= 20; v++) versions.add(compile(WITH_FUNCTION.formatted("v" + v)).withVersion("v" + v));
        try (LiveEngine engine = new LiveEngine(versions.getFirst(), start, out::add, Duration.ofHours(1))) {
            for (int v = 1; v <= 20; v++) {
                engine.submit(event("e" + v, "vercel.deployment.error", start.plusSeconds(v).toString(),
                        Map.of("target", "production", "project", "api")));
                engine.swap(versions.get(v)).get(30, TimeUnit.SECONDS);
            }
            engine.barrier().get(30, TimeUnit.SECONDS);
            assertNull(engine.lastFailure());
            assertEquals("API v19", ((TimelineEntry.PlannedAction) out.getLast()).args().get("text"));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (jsWorkerThreads() - before > 2 && System.nanoTime() < deadline) Thread.sleep(50);
            assertTrue(jsWorkerThreads() - before <= 2, "JavaScript workers left running after 20 swaps: " + (jsWorkerThreads() - before));
        } finally {
            versions.getLast().functions().close();
        }
    }

    @Test
    void eventsDuringSwapsAreProcessedExactlyOnceInOrder() throws Exception {
        List<TimelineEntry> out = Collections.synchronizedList(new ArrayList<>());
        Instant start = Instant.parse("2026-03-02T00:00:00Z");
        try (LiveEngine engine = new LiveEngine(version("v0"), start, out::add, Duration.ofHours(1))) {
            int n = 3000;
            Thread producer = Thread.ofPlatform().start(() -> {
                for (int i = 0; i < n; i++) {
                    engine.submit(event("e" + i, "vercel.deployment.error", start.plusSeconds(i).toString(),
                            Map.of("target", "production", "project", "api")));
                }
            });
            List<LiveEngine.SwapReport> swaps = new ArrayList<>();
            for (int v = 1; v <= 5; v++) {
                swaps.add(engine.swap(version("v" + v)).get(30, TimeUnit.SECONDS));
                Thread.sleep(5);
            }
            producer.join();
            engine.barrier().get(30, TimeUnit.SECONDS);
            assertNull(engine.lastFailure());
            assertEquals("v5", engine.version());
            assertEquals(n, engine.eventsProcessed());
            Map<String, Integer> perEvent = new HashMap<>();
            int lastVersion = 0;
            for (TimelineEntry e : out) {
                TimelineEntry.PlannedAction a = (TimelineEntry.PlannedAction) e;
                perEvent.merge(a.provenance().eventIds().getFirst(), 1, Integer::sum);
                int v = Integer.parseInt(a.provenance().programVersion().substring(1));
                assertTrue(v >= lastVersion, "versions only move forward");
                assertTrue(((String) a.args().get("text")).startsWith("v" + v + " "), "the text comes from the version that planned it");
                lastVersion = v;
            }
            assertEquals(n, perEvent.size(), "every event planned its action");
            assertTrue(perEvent.values().stream().allMatch(c -> c == 1), "no event was processed twice");
            assertEquals(List.of("v0", "v1", "v2", "v3", "v4"), swaps.stream().map(LiveEngine.SwapReport::fromVersion).toList());
        }
    }

    /** Memory: the engine keeps the events; history: it replays from the host's log, up to what it processed. */
    @ParameterizedTest(name = "replay from {0}")
    @ValueSource(strings = {"memory", "history"})
    void openWindowsAreCarriedOverAndPastDeadlinesAreNotReportedAgain(String from) throws Exception {
        List<TimelineEntry> out = Collections.synchronizedList(new ArrayList<>());
        Instant t0 = Instant.parse("2026-03-02T10:00:00Z");
        List<CanonicalEvent> log = Collections.synchronizedList(new ArrayList<>());
        List<Long> asked = Collections.synchronizedList(new ArrayList<>());
        LiveEngine.History history = (since, upTo) -> {
            asked.add(upTo);
            return log.subList(0, (int) upTo).stream().filter(e -> !e.time().isBefore(since)).toList();
        };
        try (LiveEngine engine = from.equals("history") ? new LiveEngine(version("old"), t0, out::add, history)
                : new LiveEngine(version("old"), t0, out::add, Duration.ZERO)) {
            // i1's window closes before the swap (reported by the old Program); i2's is open across it.
            append(engine, log, event("i1", "sentry.issue.created", t0.toString(), Map.of("level", "fatal", "issue_id", "1", "title", "one")));
            append(engine, log, event("i2", "sentry.issue.created", t0.plus(Duration.ofMinutes(10)).toString(),
                    Map.of("level", "fatal", "issue_id", "2", "title", "two")));
            engine.tick(t0.plus(Duration.ofMinutes(20)));
            // logged but not given to the engine yet: not the swap's to replay
            CanonicalEvent i3 = event("i3", "sentry.issue.created", t0.plus(Duration.ofMinutes(20)).toString(),
                    Map.of("level", "fatal", "issue_id", "3", "title", "three"));
            log.add(i3);
            LiveEngine.SwapReport swap = engine.swap(version("new")).get(30, TimeUnit.SECONDS);
            // the log is read back one longest window (15 min) from the clock: i1's is closed already;
            // memory holds what was within a window when it arrived
            assertEquals(from.equals("history") ? 1 : 2, swap.replayedEvents());
            engine.submit(i3, 3);
            engine.tick(t0.plus(Duration.ofMinutes(40)));
            engine.barrier().get(30, TimeUnit.SECONDS);
            List<String> pages = out.stream().map(e -> (TimelineEntry.PlannedAction) e)
                    .map(a -> a.provenance().eventIds().getFirst() + "@" + a.provenance().programVersion() + "@" + a.time()).toList();
            assertEquals(List.of("i1@old@2026-03-02T10:15:00Z", "i2@new@2026-03-02T10:25:00Z", "i3@new@2026-03-02T10:35:00Z"), pages);
            assertEquals(from.equals("history") ? List.of(2L) : List.of(), asked);
        }
    }

    /**
     * A swap whose replay fails with an Error (a stack overflow, an assertion) leaves the old
     * Program live and reporting: the swap fails, and the next event's action is still reported.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"StackOverflowError", "AssertionError", "IllegalStateException"})
    void aSwapThatFailsWithAnErrorLeavesTheOldProgramReporting(String failure) throws Exception {
        List<TimelineEntry> out = Collections.synchronizedList(new ArrayList<>());
        Instant t0 = Instant.parse("2026-03-02T10:00:00Z");
        LiveEngine.History failing = (since, upTo) -> {
            switch (failure) {
                case "StackOverflowError" -> throw new StackOverflowError("replay");
                case "AssertionError" -> throw new AssertionError("replay");
                default -> throw new IllegalStateException("replay");
            }
        };
        try (LiveEngine engine = new LiveEngine(version("old"), t0, out::add, failing)) {
            var swap = engine.swap(version("new"));
            var thrown = org.junit.jupiter.api.Assertions.assertThrows(java.util.concurrent.ExecutionException.class,
                    () -> swap.get(5, TimeUnit.SECONDS), "the swap fails rather than never answering");
            assertEquals(failure, thrown.getCause().getClass().getSimpleName());
            engine.submit(event("d1", "vercel.deployment.error", t0.plusSeconds(1).toString(),
                    Map.of("target", "production", "project", "api")), 1);
            engine.barrier().get(10, TimeUnit.SECONDS);
            assertEquals("old", engine.version());
            assertEquals(1, out.size(), "the old Program still reports after the failed swap: " + out);
            assertEquals("old", ((TimelineEntry.PlannedAction) out.getFirst()).provenance().programVersion());
        }
    }

    /** A producer faster than the engine waits for room once {@link LiveEngine#QUEUE_CAPACITY} commands wait. */
    @Test
    void theCommandQueueIsBounded() throws Exception {
        Instant t0 = Instant.parse("2026-03-02T10:00:00Z");
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        LiveEngine.History stuck = (since, upTo) -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return List.of();
        };
        try (LiveEngine engine = new LiveEngine(version("v"), t0, e -> { }, stuck)) {
            var swap = engine.swap(version("w"));   // holds the engine thread until released
            java.util.concurrent.atomic.AtomicInteger submitted = new java.util.concurrent.atomic.AtomicInteger();
            int n = LiveEngine.QUEUE_CAPACITY + 100;
            Thread producer = Thread.ofPlatform().start(() -> {
                for (int i = 0; i < n; i++) {
                    engine.submit(event("e" + i, "vercel.deployment.error", t0.plusSeconds(i).toString(),
                            Map.of("target", "production", "project", "api")), i + 1);
                    submitted.incrementAndGet();
                }
            });
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (engine.queueDepth() < LiveEngine.QUEUE_CAPACITY && System.nanoTime() < deadline) Thread.sleep(5);
            Thread.sleep(100);
            assertEquals(LiveEngine.QUEUE_CAPACITY, engine.queueDepth());
            assertTrue(producer.isAlive(), "the producer waits for room");
            assertTrue(submitted.get() <= LiveEngine.QUEUE_CAPACITY + 1, "submitted " + submitted.get());
            release.countDown();
            producer.join(30_000);
            swap.get(30, TimeUnit.SECONDS);
            engine.barrier().get(30, TimeUnit.SECONDS);
            assertEquals(n, engine.eventsProcessed());
        }
    }

    private static void append(LiveEngine engine, List<CanonicalEvent> log, CanonicalEvent e) {
        log.add(e);
        engine.submit(e, log.size());
    }
}
