package charter.connect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import charter.connect.fake.FakeGitHub;
import charter.connect.fake.FakeLinear;
import charter.connect.fake.FakePagerDuty;
import charter.connect.fake.FakeSlack;
import charter.connect.fake.FakeTool;
import charter.connect.fake.FakeVercel;
import charter.connect.fake.FakeWebhookReceiver;
import charter.connect.fake.Fault;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.function.ToIntFunction;
import org.junit.jupiter.api.Test;

/**
 * Property: whatever the tool does to the requests of one action (429, 500, 503, a reset after applying it),
 * driving the action the way the outbox does (try again after Retry; after Unknown, look first where the
 * guarantee is "at least once, deduplicated") ends with the tool holding exactly one page, issue, comment,
 * message, deployment or delivery. The faults also hit the lookups' reads. A failing fault sequence is shrunk.
 */
class OncePerActionPropertyTest {
    private static final long SEED = Long.getLong("charter.property.seed", 1205L);
    private static final int RUNS_PER_TOOL = Integer.getInteger("charter.property.runs", 12);
    private static final String SECRET = "tok";

    private record Subject(String tool, Map<String, Object> args, java.util.function.Supplier<FakeTool> fake, ToIntFunction<FakeTool> count) {}

    private static List<Subject> subjects() {
        return List.of(
                new Subject("pagerduty.page", Map.of("team", "t", "summary", "s"), () -> new FakePagerDuty(Set.of()), f -> ((FakePagerDuty) f).pages()),
                new Subject("linear.create_issue", Map.of("team", "eng", "title", "t"), () -> new FakeLinear(SECRET), f -> ((FakeLinear) f).issues().size()),
                new Subject("github.comment", Map.of("repo", "a/b", "number", 1L, "body", "b"), () -> new FakeGitHub(SECRET), f -> ((FakeGitHub) f).comments().size()),
                new Subject("github.create_issue", Map.of("repo", "a/b", "title", "t"), () -> new FakeGitHub(SECRET), f -> ((FakeGitHub) f).issues().size()),
                new Subject("slack.post", Map.of("channel", "#ops", "text", "t"), () -> new FakeSlack(SECRET), f -> ((FakeSlack) f).messages().size()),
                new Subject("vercel.deploy", Map.of("project", "web", "sha", "s", "target", "production"), () -> new FakeVercel(SECRET),
                        f -> ((FakeVercel) f).deployments().size()),
                new Subject("http.post", Map.of("body", "{}"), () -> new FakeWebhookReceiver(SECRET), f -> ((FakeWebhookReceiver) f).deliveries().size()));
    }

    private static final List<Fault> FAULTS = List.of(Fault.tooManyRequests(0), Fault.status(500), Fault.status(503), Fault.resetAfterApply());

    @Test
    void everyActionLandsOnceWhateverTheToolDoes() throws Exception {
        Random random = new Random(SEED);
        try (ConnectorHarness harness = new ConnectorHarness()) {
            for (Subject subject : subjects()) {
                for (int run = 0; run < RUNS_PER_TOOL; run++) {
                    List<Fault> faults = new ArrayList<>();
                    for (int n = random.nextInt(6); n > 0; n--) faults.add(FAULTS.get(random.nextInt(FAULTS.size())));
                    String problem = drive(harness, subject, faults);
                    if (problem != null) {
                        List<Fault> smallest = shrink(harness, subject, faults);
                        fail("seed " + SEED + ", " + subject.tool() + " with faults " + smallest + ": " + drive(harness, subject, smallest));
                    }
                }
            }
        }
    }

    /** Null when the action ended done with exactly one object at the tool; else what went wrong. */
    private static String drive(ConnectorHarness harness, Subject subject, List<Fault> faults) throws InterruptedException {
        try (FakeTool fake = subject.fake().get()) {
            if (fake instanceof FakeSlack slack) slack.channel("ops");
            Map<String, Object> args = new java.util.LinkedHashMap<>(subject.args());
            if (subject.tool().equals("http.post")) args.put("url", fake.baseUrl() + "/in");
            Connector connector = harness.connector(subject.tool(), fake,
                    Map.of("token", SECRET, "api_key", SECRET, "routing_key", SECRET, "signing_secret", SECRET), Map.of());
            fake.fail(faults.toArray(Fault[]::new));
            List<String> trail = new ArrayList<>();
            for (int attempt = 1; attempt <= 15; attempt++) {
                ActionRequest request = new ActionRequest("acme", "act_once", subject.tool(), args, attempt);
                AttemptOutcome outcome = connector.send(request);
                trail.add(outcome.getClass().getSimpleName());
                if (outcome instanceof AttemptOutcome.Done) {
                    int count = subject.count().applyAsInt(fake);
                    return count == 1 ? null : "done, but the tool holds " + count + " (" + trail + ")";
                }
                if (outcome instanceof AttemptOutcome.Failed failed) return "failed: " + failed.reason() + " (" + trail + ")";
                if (outcome instanceof AttemptOutcome.Unknown && connector.guarantee() == Guarantee.AT_LEAST_ONCE_DEDUPLICATED) {
                    Optional<AttemptOutcome.Done> found = connector.lookup(request);
                    trail.add(found.isPresent() ? "lookup found" : "lookup empty");
                    if (found.isPresent()) {
                        int count = subject.count().applyAsInt(fake);
                        return count == 1 ? null : "found, but the tool holds " + count + " (" + trail + ")";
                    }
                }
            }
            return "never done (" + trail + ")";
        }
    }

    private static List<Fault> shrink(ConnectorHarness harness, Subject subject, List<Fault> failing) throws InterruptedException {
        List<Fault> current = failing;
        for (int i = 0; i < current.size(); ) {
            List<Fault> smaller = new ArrayList<>(current);
            smaller.remove(i);
            if (drive(harness, subject, smaller) != null) current = smaller;
            else i++;
        }
        return current;
    }

    @Test
    void theFaultsReachTheTool() throws Exception {
        // The property is only as good as the faults: a reset must leave the object made and the outcome unknown.
        try (ConnectorHarness harness = new ConnectorHarness(); FakePagerDuty pagerduty = new FakePagerDuty(Set.of())) {
            Connector page = harness.connector("pagerduty.page", pagerduty, Map.of("routing_key", SECRET), Map.of());
            pagerduty.fail(Fault.resetAfterApply());
            AttemptOutcome outcome = page.send(new ActionRequest("acme", "act_f", "pagerduty.page", Map.of("team", "t", "summary", "s"), 1));
            assertEquals(AttemptOutcome.Unknown.class, outcome.getClass());
            assertEquals(1, pagerduty.pages());
        }
    }
}
