package charter.bench.serve;

import java.util.Arrays;

/**
 * Exact percentiles of a set of latencies (every sample kept and sorted: runs are bounded to tens
 * of thousands of requests, so no histogram approximation is needed), in milliseconds.
 */
public record Latency(int samples, double mean, double p50, double p90, double p99, double p999, double max) {
    public static final Latency NONE = new Latency(0, 0, 0, 0, 0, 0, 0);

    public static Latency ofNanos(long[] nanos, int n) {
        if (n == 0) return NONE;
        long[] s = Arrays.copyOf(nanos, n);
        Arrays.sort(s);
        double sum = 0;
        for (long v : s) sum += v;
        return new Latency(n, sum / n / 1e6, at(s, 0.50), at(s, 0.90), at(s, 0.99), at(s, 0.999), s[n - 1] / 1e6);
    }

    /** The nearest-rank percentile: the smallest sample with at least q of the samples at or below it. */
    private static double at(long[] sorted, double q) {
        int rank = (int) Math.ceil(q * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))] / 1e6;
    }

    public String text() {
        return samples == 0 ? "no samples"
                : String.format("p50 %s  p90 %s  p99 %s  p99.9 %s  max %s  (mean %s, n=%,d)",
                        ms(p50), ms(p90), ms(p99), ms(p999), ms(max), ms(mean), samples);
    }

    static String ms(double v) {
        return v >= 100 ? String.format("%,.0f ms", v) : v >= 10 ? String.format("%.1f ms", v) : String.format("%.2f ms", v);
    }
}
