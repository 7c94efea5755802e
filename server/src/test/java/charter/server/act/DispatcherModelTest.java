package charter.server.act;

import static org.junit.jupiter.api.Assertions.fail;

import charter.connect.ActionRequest;
import charter.connect.AttemptOutcome;
import charter.connect.Connector;
import charter.connect.ConnectorFactory;
import charter.connect.Guarantee;
import charter.connect.ToolEndpoint;
import charter.connect.WireRequest;
import charter.engine.store.EventStore;
import charter.engine.store.EventStores;
import charter.engine.store.Outbox;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A property test of the outbox's state machine: random scripts of what a tool does with each
 * attempt (done, retry, failed, an unknown outcome that was or was not applied) run through the
 * real dispatcher and store, and a few lines of model say where each action must end, how many
 * times the tool applied it, and how many attempts the trail records. A failing case is shrunk
 * (steps dropped while it still fails) before it is reported, with its seed.
 */
class DispatcherModelTest {
    static final String T = "acme";
    static final String TOOL = "slack.post";
    static final int TRIALS = 12;

    enum Step { DONE, RETRY, FAILED, UNKNOWN_APPLIED, UNKNOWN_LOST }

    /** @param atRecord the actions are recorded while the dispatcher runs, which takes what it has room for at once */
    record Case(Guarantee guarantee, int maxAttempts, List<List<Step>> scripts, boolean atRecord) {}

    record Expected(Outbox.State state, int applied, int attempts) {}

    /** The model: one action's fate, written as plainly as possible. */
    static Expected model(List<Step> script, Guarantee g, int max) {
        int applied = 0;
        boolean unknown = false;
        for (int attempt = 1; ; attempt++) {
            if (unknown && applied > 0) return new Expected(Outbox.State.DONE, applied, attempt);   // the lookup finds it
            Step step = attempt - 1 < script.size() ? script.get(attempt - 1) : Step.DONE;   // every other attempt sends
            switch (step) {
                case DONE -> {
                    return new Expected(Outbox.State.DONE, applied + 1, attempt);
                }
                case FAILED -> {
                    return new Expected(Outbox.State.FAILED, applied, attempt);
                }
                case RETRY -> unknown = false;
                case UNKNOWN_APPLIED, UNKNOWN_LOST -> {
                    if (step == Step.UNKNOWN_APPLIED) applied++;
                    if (g == Guarantee.AT_MOST_ONCE) return new Expected(Outbox.State.FAILED, applied, attempt);
                    unknown = true;
                }
            }
            if (attempt >= max) return new Expected(Outbox.State.FAILED, applied, attempt);
        }
    }

    /** Sends per script, counts what the tool applied, and finds an applied action by its id. */
    static final class ScriptedConnector implements Connector {
        final Map<String, List<Step>> scripts;
        final Guarantee guarantee;
        final Map<String, AtomicInteger> sent = new ConcurrentHashMap<>();
        final Map<String, AtomicInteger> applied = new ConcurrentHashMap<>();

        ScriptedConnector(Map<String, List<Step>> scripts, Guarantee guarantee) {
            this.scripts = scripts;
            this.guarantee = guarantee;
        }

        @Override
        public String tool() {
            return TOOL;
        }

        @Override
        public Guarantee guarantee() {
            return guarantee;
        }

        @Override
        public WireRequest render(ActionRequest r) {
            return new WireRequest("POST", "http://tool/x", Map.of(), r.actionId());
        }

        @Override
        public AttemptOutcome send(ActionRequest r) {
            int n = sent.computeIfAbsent(r.actionId(), k -> new AtomicInteger()).getAndIncrement();
            List<Step> script = scripts.get(r.actionId());
            Step step = n < script.size() ? script.get(n) : Step.DONE;
            return switch (step) {
                case DONE -> {
                    applied.computeIfAbsent(r.actionId(), k -> new AtomicInteger()).incrementAndGet();
                    yield new AttemptOutcome.Done(201, "x-" + r.actionId(), null, false);
                }
                case RETRY -> new AttemptOutcome.Retry(503, "busy", null);
                case FAILED -> new AttemptOutcome.Failed(422, "refused");
                case UNKNOWN_APPLIED -> {
                    applied.computeIfAbsent(r.actionId(), k -> new AtomicInteger()).incrementAndGet();
                    yield new AttemptOutcome.Unknown(0, "timed out");
                }
                case UNKNOWN_LOST -> new AttemptOutcome.Unknown(0, "reset");
            };
        }

        @Override
        public Optional<AttemptOutcome.Done> lookup(ActionRequest r) {
            AtomicInteger n = applied.get(r.actionId());
            return n != null && n.get() > 0 ? Optional.of(new AttemptOutcome.Done(200, "x-" + r.actionId(), null, true)) : Optional.empty();
        }
    }

    @TempDir
    Path tmp;
    int runs;

    @Test
    void everyActionEndsWhereTheModelSays() throws Exception {
        long seed = Long.getLong("charter.outbox.seed", new Random().nextLong());
        Random random = new Random(seed);
        for (int trial = 0; trial < TRIALS; trial++) {
            Case c = generate(random);
            String failure = check(c);
            if (failure != null) {
                Case small = shrink(c);
                fail("seed " + seed + " trial " + trial + ": " + check(small) + "\nshrunk case: " + small);
            }
        }
    }

    static Case generate(Random r) {
        Guarantee g = Guarantee.values()[r.nextInt(Guarantee.values().length)];
        int actions = 1 + r.nextInt(8);
        List<List<Step>> scripts = new ArrayList<>();
        for (int a = 0; a < actions; a++) {
            List<Step> s = new ArrayList<>();
            int len = r.nextInt(6);
            for (int i = 0; i < len; i++) s.add(Step.values()[r.nextInt(Step.values().length)]);
            scripts.add(s);
        }
        return new Case(g, 1 + r.nextInt(5), scripts, r.nextBoolean());
    }

    /** Drops one step, or one action, at a time while the case still fails. */
    Case shrink(Case c) throws Exception {
        boolean progress = true;
        while (progress) {
            progress = false;
            for (int a = 0; a < c.scripts().size() && !progress; a++) {
                if (c.scripts().size() > 1) {
                    List<List<Step>> fewer = new ArrayList<>(c.scripts());
                    fewer.remove(a);
                    Case smaller = new Case(c.guarantee(), c.maxAttempts(), fewer, c.atRecord());
                    if (check(smaller) != null) {
                        c = smaller;
                        progress = true;
                        continue;
                    }
                }
                for (int i = 0; i < c.scripts().get(a).size() && !progress; i++) {
                    List<List<Step>> shorter = new ArrayList<>(c.scripts());
                    List<Step> s = new ArrayList<>(shorter.get(a));
                    s.remove(i);
                    shorter.set(a, s);
                    Case smaller = new Case(c.guarantee(), c.maxAttempts(), shorter, c.atRecord());
                    if (check(smaller) != null) {
                        c = smaller;
                        progress = true;
                    }
                }
            }
        }
        return c;
    }

    /** Runs the case through a fresh store and dispatcher; null when everything matches the model, else what differs. */
    String check(Case c) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("run-" + runs++));
        Map<String, List<Step>> scripts = new java.util.LinkedHashMap<>();
        for (int a = 0; a < c.scripts().size(); a++) scripts.put("act-" + a, c.scripts().get(a));
        ScriptedConnector connector = new ScriptedConnector(scripts, c.guarantee());
        ConnectorFactory factory = new ConnectorFactory() {
            @Override
            public Set<String> tools() {
                return Set.of(TOOL);
            }

            @Override
            public Optional<Connector> create(String tool, ToolEndpoint endpoint) {
                return Optional.of(connector);
            }
        };
        try (EventStore store = EventStores.open(dir.resolve("data").toString())) {
            List<String> ids = c.atRecord() ? List.copyOf(scripts.keySet())
                    : Actions.plan(store, T, TOOL, scripts.size(), "act", Outbox.State.PLANNED);
            ActSettings settings = new ActSettings(new AttemptPolicy(c.maxAttempts(), Duration.ofMillis(1), Duration.ofMillis(5)),
                    Duration.ofSeconds(30), Duration.ofMillis(5), true);
            ConnectorRegistry registry = new ConnectorRegistry(List.of(factory),
                    Map.of(T, Map.of(TOOL, new ToolSettings(null, Map.of(), Map.of(), 4, 10_000))));
            List<Outbox.Row> rows;
            try (Dispatcher d = new Dispatcher(store.outbox(), registry, settings, new ActMetrics(new SimpleMeterRegistry()))) {
                if (c.atRecord()) Actions.plan(store, T, TOOL, scripts.size(), "act", Outbox.State.PLANNED, d.intake());
                rows = Actions.settle(store, T, ids, Duration.ofSeconds(30));
            }
            List<String> differences = new ArrayList<>();
            for (Outbox.Row row : rows) {
                Expected e = model(scripts.get(row.actionId()), c.guarantee(), c.maxAttempts());
                int applied = connector.applied.getOrDefault(row.actionId(), new AtomicInteger()).get();
                int recorded = store.outbox().attempts(T, row.actionId()).size();
                Expected actual = new Expected(row.state(), applied, row.attempts());
                if (!actual.equals(e) || recorded != row.attempts()) {
                    differences.add(row.actionId() + " " + scripts.get(row.actionId()) + ": expected " + e + ", got " + actual
                            + " with " + recorded + " attempts in the trail (" + row.lastError() + ")");
                }
                if (applied > 1) {   // whatever the guarantee: an applied unknown is found, or (at most once) never repeated
                    differences.add(row.actionId() + " was applied " + applied + " times");
                }
            }
            return differences.isEmpty() ? null : String.join("\n", differences);
        }
    }
}
