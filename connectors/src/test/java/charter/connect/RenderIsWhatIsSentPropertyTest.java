package charter.connect;

import static org.junit.jupiter.api.Assertions.fail;

import charter.connect.fake.FakeGitHub;
import charter.connect.fake.FakeLinear;
import charter.connect.fake.FakePagerDuty;
import charter.connect.fake.FakeSentry;
import charter.connect.fake.FakeSlack;
import charter.connect.fake.FakeTool;
import charter.connect.fake.FakeVercel;
import charter.connect.fake.FakeWebhookReceiver;
import charter.connect.fake.Received;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Property: for any argument values, what render() shows is what the tool receives, byte for byte, apart from
 * the secrets it redacts (method, URL, every header it names, body). The values are drawn from hostile text:
 * quotes, backslashes, line breaks, markup, GraphQL and template syntax, unicode, very long strings. A failing
 * case is shrunk (the text cut down while it still fails) before it is reported with the seed.
 */
class RenderIsWhatIsSentPropertyTest {
    private static final long SEED = Long.getLong("charter.property.seed", 20261205L);
    private static final int RUNS = Integer.getInteger("charter.property.runs", 120);
    /** Headers the HTTP client adds itself; a dry run does not show them. */
    private static final Set<String> TRANSPORT_HEADERS = Set.of("content-length", "host", "connection", "user-agent");
    private static final String[] FRAGMENTS = {
        "\"", "'", "\\", "\n", "\r\n", "\t", "<!--", "-->", "<!-- charter-action: act_0 -->", "{{", "}}", "$input", "\"}",
        "{\"a\":1}", "é", "日本", "😀", "\u202e", "e\u0301", "\u0000", "%2F", "?x=1", "#frag", "&", "=", "/", "..", " ", "*bold*",
        "`code`", "@channel", "<script>", "mutation { x }", "null", "-1"
    };

    private static final String SECRET = "S3CRET-value-never-shown";
    private static ConnectorHarness harness;
    private static final Map<String, FakeTool> fakes = new LinkedHashMap<>();

    @BeforeAll
    static void start() {
        harness = new ConnectorHarness();
        fakes.put("slack", new FakeSlack(SECRET));
        fakes.put("linear", new FakeLinear(SECRET));
        fakes.put("pagerduty", new FakePagerDuty(Set.of()));
        fakes.put("github", new FakeGitHub(SECRET));
        fakes.put("vercel", new FakeVercel(SECRET));
        fakes.put("sentry", new FakeSentry(SECRET, "acme"));
        fakes.put("http", new FakeWebhookReceiver(SECRET));
    }

    @AfterAll
    static void stop() {
        fakes.values().forEach(FakeTool::close);
        harness.close();
    }

    private record Case(String tool, String fake, Map<String, Object> args) {}

    @Test
    void renderIsWhatTheToolReceivesForAnyArguments() throws Exception {
        Random random = new Random(SEED);
        for (int run = 0; run < RUNS; run++) {
            Case c = generate(random);
            String problem = check(c);
            if (problem != null) {
                Case smallest = shrink(c);
                fail("seed " + SEED + " run " + run + ": " + check(smallest) + "\nshrunk case: " + smallest + "\noriginal problem: " + problem);
            }
        }
    }

    private Case generate(Random random) {
        Function<Integer, String> text = max -> hostile(random, max);
        String tool = List.of("slack.post", "linear.create_issue", "linear.comment", "linear.assign", "pagerduty.page", "github.comment",
                "github.add_label", "github.request_review", "github.create_issue", "vercel.deploy", "vercel.promote", "vercel.rollback",
                "sentry.assign", "sentry.resolve", "http.post").get(random.nextInt(15));
        Map<String, Object> args = new LinkedHashMap<>();
        switch (tool) {
            case "slack.post" -> { args.put("channel", "#" + text.apply(20)); args.put("text", text.apply(3000)); }
            case "linear.create_issue" -> { args.put("team", text.apply(10)); args.put("title", text.apply(200)); args.put("description", text.apply(3000));
                args.put("priority", (long) random.nextInt(5)); args.put("labels", List.of(text.apply(10), text.apply(10))); }
            case "linear.comment" -> { args.put("issue", text.apply(10)); args.put("body", text.apply(3000)); }
            case "linear.assign" -> { args.put("issue", text.apply(10)); args.put("assignee", text.apply(20)); }
            case "pagerduty.page" -> { args.put("team", text.apply(20)); args.put("summary", text.apply(2000));
                args.put("severity", List.of("critical", "error", "warning", "info").get(random.nextInt(4))); }
            case "github.comment" -> { repo(args, text); args.put("number", (long) random.nextInt(100_000)); args.put("body", text.apply(3000)); }
            case "github.add_label" -> { repo(args, text); args.put("number", random.nextDouble() < 0.5 ? 3L : 3.0); args.put("label", text.apply(40)); }
            case "github.request_review" -> { repo(args, text); args.put("number", 5L); args.put("reviewer", text.apply(30)); }
            case "github.create_issue" -> { repo(args, text); args.put("title", text.apply(200)); if (random.nextBoolean()) args.put("body", text.apply(3000)); }
            case "vercel.deploy" -> { args.put("project", segment(text)); args.put("sha", text.apply(40)); args.put("target", text.apply(12)); }
            case "vercel.promote" -> { args.put("project", segment(text)); args.put("deployment", segment(text)); }
            case "vercel.rollback" -> { args.put("project", segment(text)); args.put("deployment", segment(text)); }
            case "sentry.assign" -> { args.put("issue_id", segment(text)); args.put("assignee", text.apply(30)); }
            case "sentry.resolve" -> args.put("issue_id", segment(text));
            case "http.post" -> args.put("body", text.apply(5000));
            default -> throw new IllegalStateException(tool);
        }
        return new Case(tool, tool.substring(0, tool.indexOf('.')), args);
    }

    private static void repo(Map<String, Object> args, Function<Integer, String> text) {
        args.put("repo", segment(text) + "/" + segment(text));
    }

    /** Text for a path segment: anything but '/', and not blank. */
    private static String segment(Function<Integer, String> text) {
        String s = text.apply(15).replace("/", "").strip();
        return s.isEmpty() ? "x" : s;
    }

    private static String hostile(Random random, int max) {
        StringBuilder out = new StringBuilder();
        int target = random.nextInt(10) == 0 ? max : 1 + random.nextInt(Math.max(1, max / 10));
        while (out.length() < target) {
            if (random.nextBoolean()) out.append(FRAGMENTS[random.nextInt(FRAGMENTS.length)]);
            else out.append((char) ('a' + random.nextInt(26)));
        }
        return out.toString();
    }

    /** Null when render and the received request agree; else what differs. */
    private String check(Case c) throws InterruptedException {
        FakeTool fake = fakes.get(c.fake());
        Map<String, Object> args = new LinkedHashMap<>(c.args());
        if (c.tool().equals("http.post")) args.put("url", fake.baseUrl() + "/hooks/in");
        ActionRequest request = new ActionRequest("acme", "act_prop", c.tool(), args, 1);
        Map<String, String> credentials = Map.of("token", SECRET, "api_key", SECRET, "routing_key", SECRET, "signing_secret", SECRET);
        Connector connector = harness.connector(c.tool(), fake, credentials, Map.of("organization", "acme", "team_id", "t&=?"));
        WireRequest wire;
        try {
            wire = connector.render(request);
        } catch (IllegalArgumentException refused) {
            // An argument the connector refuses must be refused by send() too, without sending anything.
            fake.clearReceived();
            AttemptOutcome outcome = connector.send(request);
            return outcome instanceof AttemptOutcome.Failed && fake.received().isEmpty() ? null
                    : "render refused (" + refused.getMessage() + ") but send gave " + outcome;
        }
        fake.clearReceived();
        connector.send(request);
        if (fake.received().isEmpty()) return "nothing reached the fake";
        Received got = fake.received().getFirst();
        List<String> problems = new ArrayList<>();
        if (!wire.method().equals(got.method())) problems.add("method " + wire.method() + " vs " + got.method());
        String target = fake.origin() + got.path() + (got.query().isEmpty() ? "" : "?" + got.query());
        if (!wire.target().equals(redact(target))) problems.add("target " + wire.target() + " vs " + target);
        if (!wire.body().equals(redact(got.body()))) problems.add("body differs:\n  shown " + wire.body() + "\n  sent  " + got.body());
        if (wire.body().contains(SECRET) || wire.headers().values().stream().anyMatch(v -> v.contains(SECRET))) problems.add("a secret is shown");
        Map<String, String> shown = new LinkedHashMap<>();
        wire.headers().forEach((k, v) -> shown.put(k.toLowerCase(Locale.ROOT), v));
        shown.forEach((name, value) -> {
            String sent = got.header(name);
            if (sent == null || !value.equals(redact(sent))) problems.add("header " + name + ": shown " + value + ", sent " + sent);
        });
        got.headers().keySet().stream().filter(n -> !shown.containsKey(n) && !TRANSPORT_HEADERS.contains(n))
                .forEach(n -> problems.add("header " + n + " sent but not shown"));
        return problems.isEmpty() ? null : String.join("; ", problems);
    }

    private static String redact(String text) {
        return text.replace(SECRET, "<redacted>");
    }

    /** Cuts string arguments down (halves, then single characters) while the case still fails. */
    private Case shrink(Case failing) throws InterruptedException {
        Case current = failing;
        boolean progress = true;
        while (progress) {
            progress = false;
            for (String key : current.args().keySet()) {
                if (!(current.args().get(key) instanceof String value) || value.length() <= 1) continue;
                for (int size = value.length() / 2; size >= 1 && !progress; size /= 2) {
                    for (int at = 0; at + size <= value.length(); at += size) {
                        Map<String, Object> smaller = new LinkedHashMap<>(current.args());
                        smaller.put(key, value.substring(0, at) + value.substring(at + size));
                        Case candidate = new Case(current.tool(), current.fake(), smaller);
                        if (check(candidate) != null) {
                            current = candidate;
                            progress = true;
                            break;
                        }
                    }
                }
                if (progress) break;
            }
        }
        return current;
    }
}
