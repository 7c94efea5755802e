package charter.connect.fake;

import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/**
 * Runs one fake tool as a local stand-in until interrupted, printing every request that arrives:
 * {@code scripts/fake-tool pagerduty 8090}. Tokens: {@code FAKE_TOOL_TOKEN} (default {@code fake-token}) for
 * the tools that check one; PagerDuty accepts any routing key; the webhook receiver checks signatures with
 * {@code FAKE_TOOL_SECRET} (default {@code fake-secret}).
 */
public final class FakeToolMain {
    private FakeToolMain() {}

    public static void main(String[] args) throws InterruptedException {
        if (args.length < 1 || args.length > 2) {
            System.err.println("usage: fake-tool pagerduty|slack|linear|github|vercel|sentry|webhook [PORT]");
            System.exit(2);
        }
        int port = args.length == 2 ? Integer.parseInt(args[1]) : 0;
        String token = System.getenv().getOrDefault("FAKE_TOOL_TOKEN", "fake-token");
        FakeTool fake = switch (args[0]) {
            case "pagerduty" -> new FakePagerDuty(port, Set.of());
            case "slack" -> new FakeSlack(port, token);
            case "linear" -> new FakeLinear(port, token);
            case "github" -> new FakeGitHub(port, token);
            case "vercel" -> new FakeVercel(port, token);
            case "sentry" -> new FakeSentry(port, token, System.getenv().getOrDefault("FAKE_TOOL_ORG", "acme"));
            case "webhook" -> new FakeWebhookReceiver(port, System.getenv().getOrDefault("FAKE_TOOL_SECRET", "fake-secret"));
            default -> {
                System.err.println("fake-tool: unknown tool '" + args[0] + "' (pagerduty, slack, linear, github, vercel, sentry, webhook)");
                System.exit(2);
                yield null;
            }
        };
        fake.onRequest(r -> System.out.println(LocalTime.now().truncatedTo(ChronoUnit.MILLIS) + " " + r.method() + " " + r.path()
                + (r.query().isEmpty() ? "" : "?" + r.query()) + (r.body().isEmpty() ? "" : " " + r.body())));
        System.out.println("fake " + args[0] + " listening on " + fake.baseUrl() + " (Ctrl-C to stop)");
        System.out.flush();
        Runtime.getRuntime().addShutdownHook(new Thread(fake::close));
        new CountDownLatch(1).await();
    }
}
