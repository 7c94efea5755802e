package charter.bench.serve;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntFunction;
import java.util.function.IntPredicate;

/**
 * Sends a bounded number of POST requests over {@code connections} keep-alive connections (one
 * thread each), stopping at the count or at a time limit, whichever comes first, and keeps every
 * sample.
 *
 * <ul>
 *   <li><b>Closed loop</b>: each connection sends its next request as soon as the previous answer
 *       arrived. Latency is measured from the moment the request is written, so it is the service
 *       time at that concurrency: when the server stalls, the generator stops sending and the stall
 *       is seen by only the requests in flight (coordinated omission). Throughput is what the
 *       server sustains at that concurrency.</li>
 *   <li><b>Open loop</b>: request {@code i} is due at {@code start + i / rate}, whatever happened
 *       before. Latency is measured from that <em>intended</em> send time, so a request that had
 *       to wait for a free connection because the server fell behind carries the wait, as a real
 *       sender's would. The service time (from the actual write) is reported next to it.</li>
 * </ul>
 */
public final class LoadGenerator {
    /** One request, and the key it is acknowledged under (a delivery or intent id). */
    public record Request(String path, Map<String, String> headers, byte[] body, String key) {}

    /** What one run measured. {@code latency} is from the intended send time in an open-loop run. */
    public record RunStats(String name, String mode, int connections, double targetRate, int requested, int completed,
                           int notSent, double seconds, double throughput, Latency latency, Latency serviceTime,
                           double maxSendLagMs, Map<String, Long> statuses, Map<String, Long> notes, List<String> errorSamples,
                           Machine.Load loadBefore, Machine.Load loadAfter, double serverCpuSeconds, double generatorCpuSeconds) {
        /** Every response was a 2xx, and every request was sent and answered. */
        public boolean all2xx() {
            return notSent == 0 && statuses.entrySet().stream().allMatch(e -> e.getKey().startsWith("2"));
        }
    }

    /** A run's figures and the keys the server acknowledged. */
    public record Outcome(RunStats stats, List<String> acknowledged) {}

    /** Optional per-response label (e.g. an intent's verdict), counted in {@link RunStats#notes}. */
    public interface Classifier {
        String label(int status, byte[] body);
    }

    private static final int MAX_ERROR_SAMPLES = 5;

    private final InetSocketAddress address;
    private final ProcessHandle server;
    private final int timeoutMillis;

    /** @param server the server's process, for its CPU time, or null when it runs in this JVM */
    public LoadGenerator(InetSocketAddress address, ProcessHandle server, Duration requestTimeout) {
        this.address = address;
        this.server = server;
        this.timeoutMillis = (int) requestTimeout.toMillis();
    }

    public Outcome closedLoop(String name, int connections, int count, Duration maxTime, IntFunction<Request> source,
                              IntPredicate acknowledged, Classifier classifier) throws InterruptedException {
        return run(name, connections, 0, count, maxTime, source, acknowledged, classifier);
    }

    public Outcome openLoop(String name, int connections, double rate, int count, Duration maxTime, IntFunction<Request> source,
                            IntPredicate acknowledged, Classifier classifier) throws InterruptedException {
        if (rate <= 0) throw new IllegalArgumentException("rate must be positive");
        return run(name, connections, rate, count, maxTime, source, acknowledged, classifier);
    }

    /** Per-run sample arrays, indexed by request number; each slot is written by the one thread that claimed it. */
    private static final class Samples {
        final long[] latency;
        final long[] service;
        final long[] lag;
        final int[] status;       // 0: not sent, -1: I/O error
        final String[] keys;
        final String[] labels;
        final List<String> errors = Collections.synchronizedList(new ArrayList<>());

        Samples(int n) {
            latency = new long[n];
            service = new long[n];
            lag = new long[n];
            status = new int[n];
            keys = new String[n];
            labels = new String[n];
        }
    }

    private Outcome run(String name, int connections, double rate, int count, Duration maxTime, IntFunction<Request> source,
                        IntPredicate acknowledged, Classifier classifier) throws InterruptedException {
        boolean open = rate > 0;
        Samples s = new Samples(count);
        AtomicInteger next = new AtomicInteger();
        Machine.Load loadBefore = Machine.load();
        double serverCpu0 = server == null ? -1 : Machine.cpuSeconds(server);
        double ownCpu0 = Machine.ownCpuSeconds();
        long start = System.nanoTime() + 1_000_000_000L;   // a common start, once every thread has connected
        long deadline = start + maxTime.toNanos();
        double interval = open ? 1e9 / rate : 0;
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < connections; c++) {
            threads.add(Thread.ofPlatform().name("load-" + name + "-" + c).daemon(true).start(() -> {
                try (HttpConnection conn = new HttpConnection(address, timeoutMillis)) {
                    // Connected before the clock starts: the run measures requests on open keep-alive
                    // connections, not 64 connects (and the server's pool growing for them) at once.
                    try {
                        conn.send("GET", "/healthz", Map.of(), new byte[0]);
                    } catch (IOException e) {
                        s.errors.add("connecting: " + e);
                    }
                    waitUntil(start);
                    while (true) {
                        int i = next.getAndIncrement();
                        if (i >= count || System.nanoTime() >= deadline) return;
                        Request r = source.apply(i);
                        long intended = open ? start + (long) (i * interval) : 0;
                        if (open) {
                            if (intended >= deadline) return;
                            waitUntil(intended);
                        }
                        long t0 = System.nanoTime();
                        int status;
                        byte[] body = null;
                        try {
                            HttpConnection.Response resp = conn.send("POST", r.path(), r.headers(), r.body());
                            status = resp.status();
                            body = resp.body();
                        } catch (IOException | RuntimeException e) {
                            status = -1;
                            if (s.errors.size() < MAX_ERROR_SAMPLES) s.errors.add("request " + i + ": " + e);
                        }
                        long end = System.nanoTime();
                        s.service[i] = end - t0;
                        s.latency[i] = end - (open ? intended : t0);
                        s.lag[i] = open ? t0 - intended : 0;
                        s.status[i] = status;
                        s.keys[i] = r.key();
                        if (body != null) {
                            if ((status < 200 || status > 299) && s.errors.size() < MAX_ERROR_SAMPLES) {
                                s.errors.add("request " + i + " " + r.path() + ": " + status + " " + new String(body, java.nio.charset.StandardCharsets.UTF_8));
                            }
                            if (classifier != null) s.labels[i] = classifier.label(status, body);
                        }
                    }
                }
            }));
        }
        // Bounded: each thread stops by itself at the count or the deadline; a request blocked in
        // a read is bounded by the socket timeout.
        for (Thread t : threads) t.join(maxTime.toMillis() + 2L * timeoutMillis + 5_000);
        long elapsed = System.nanoTime() - start;
        double serverCpu = server == null ? -1 : Machine.cpuSeconds(server) - serverCpu0;
        double ownCpu = Machine.ownCpuSeconds() - ownCpu0;
        return summarise(name, open ? "open" : "closed", connections, rate, count, s, elapsed, loadBefore, serverCpu, ownCpu, acknowledged);
    }

    private static Outcome summarise(String name, String mode, int connections, double rate, int count, Samples s, long elapsed,
                                     Machine.Load loadBefore, double serverCpu, double ownCpu, IntPredicate acknowledged) {
        long[] latency = new long[count];
        long[] service = new long[count];
        int n = 0;
        int notSent = 0;
        long maxLag = 0;
        Map<String, Long> statuses = new TreeMap<>();
        Map<String, Long> labels = new TreeMap<>();
        List<String> acked = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int st = s.status[i];
            if (st == 0) {
                notSent++;
                continue;
            }
            statuses.merge(st < 0 ? "io-error" : Integer.toString(st), 1L, Long::sum);
            if (s.labels[i] != null) labels.merge(s.labels[i], 1L, Long::sum);
            if (st < 0) continue;
            if (acknowledged.test(st)) acked.add(s.keys[i]);
            latency[n] = s.latency[i];
            service[n] = s.service[i];
            maxLag = Math.max(maxLag, s.lag[i]);
            n++;
        }
        double seconds = elapsed / 1e9;
        RunStats stats = new RunStats(name, mode, connections, rate, count, n, notSent, seconds, n / seconds,
                Latency.ofNanos(latency, n), Latency.ofNanos(service, n), maxLag / 1e6, statuses, labels, List.copyOf(s.errors),
                loadBefore, Machine.load(), serverCpu, ownCpu);
        return new Outcome(stats, acked);
    }

    private static void waitUntil(long nanoTime) {
        for (long d = nanoTime - System.nanoTime(); d > 0; d = nanoTime - System.nanoTime()) LockSupport.parkNanos(d);
    }
}
