package charter.connect.fake;

import charter.connect.ActionRequest;
import charter.connect.AttemptOutcome;
import charter.connect.Connector;
import charter.connect.Connectors;
import charter.connect.ToolEndpoint;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;

/**
 * Not a test: how many pagerduty.page actions per second the connectors carry out against a stand-in that
 * answers in 50 ms, with N in flight. {@code java ... ConnectorThroughput [actions] [in-flight]}.
 */
public final class ConnectorThroughput {
    private ConnectorThroughput() {}

    public static void main(String[] args) throws Exception {
        int actions = args.length > 0 ? Integer.parseInt(args[0]) : 5000;
        int inFlight = args.length > 1 ? Integer.parseInt(args[1]) : 64;
        try (FakePagerDuty pagerduty = new FakePagerDuty(Set.of()); Connectors connectors = new Connectors();
             ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            pagerduty.latency(Duration.ofMillis(50));
            Connector page = connectors.create("pagerduty.page", new ToolEndpoint(pagerduty.baseUrl(), Map.of("routing_key", "k"), Map.of())).orElseThrow();
            run(page, threads, 500, inFlight, "warm-up");
            pagerduty.clearReceived();
            long start = System.nanoTime();
            List<Long> latencies = run(page, threads, actions, inFlight, "run");
            double seconds = (System.nanoTime() - start) / 1e9;
            Collections.sort(latencies);
            System.out.printf("%d actions, %d in flight, tool latency 50 ms: %.0f actions/s; attempt p50 %.1f ms, p99 %.1f ms; the tool saw %d%n",
                    actions, inFlight, actions / seconds, latencies.get(latencies.size() / 2) / 1e6,
                    latencies.get((int) (latencies.size() * 0.99)) / 1e6, pagerduty.received().size());
        }
    }

    private static List<Long> run(Connector page, ExecutorService threads, int actions, int inFlight, String label) throws Exception {
        Semaphore slots = new Semaphore(inFlight);
        List<Future<Long>> futures = new ArrayList<>();
        for (int i = 0; i < actions; i++) {
            ActionRequest request = new ActionRequest("acme", "act_" + label + i, "pagerduty.page", Map.of("team", "t", "summary", "s" + i), 1);
            slots.acquire();
            futures.add(threads.submit(() -> {
                try {
                    long t0 = System.nanoTime();
                    AttemptOutcome outcome = page.send(request);
                    if (!(outcome instanceof AttemptOutcome.Done)) throw new IllegalStateException(outcome.toString());
                    return System.nanoTime() - t0;
                } finally {
                    slots.release();
                }
            }));
        }
        List<Long> latencies = new ArrayList<>();
        for (Future<Long> f : futures) latencies.add(f.get());
        return latencies;
    }
}
