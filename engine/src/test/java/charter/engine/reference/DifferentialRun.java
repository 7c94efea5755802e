package charter.engine.reference;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The long differential run: {@code scripts/differential --seed N --minutes M [--cases C]}. Generates
 * Programs and streams until the time is up (or C cases have run), prints cases per second as it goes, writes every
 * failure (shrunk) under {@code --out}, and exits 1 when there was any.
 */
public final class DifferentialRun {
    private DifferentialRun() {}

    public static void main(String[] args) {
        long seed = 1;
        double minutes = 1;
        int streams = 50;
        long maxCases = Long.MAX_VALUE;
        Path out = Path.of("target/differential");
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--seed" -> seed = Long.parseLong(args[i + 1]);
                case "--minutes" -> minutes = Double.parseDouble(args[i + 1]);
                case "--streams" -> streams = Integer.parseInt(args[i + 1]);
                case "--cases" -> maxCases = Long.parseLong(args[i + 1]);
                case "--out" -> out = Path.of(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + " (--seed N --minutes M --cases C --streams S --out DIR)");
            }
        }
        DifferentialCampaign campaign = new DifferentialCampaign(seed, streams, 12, out);
        long start = System.nanoTime();
        long deadline = start + (long) (minutes * 60e9);
        long lastReport = start;
        long k = 0;
        while (System.nanoTime() < deadline && campaign.cases < maxCases) {
            campaign.program(k++);
            long now = System.nanoTime();
            if (now - lastReport > 10e9) {
                report(campaign, now - start, false);
                lastReport = now;
            }
        }
        report(campaign, System.nanoTime() - start, true);
        for (String f : campaign.failures) System.out.println("\n" + f);
        System.exit(campaign.failures.isEmpty() ? 0 : 1);
    }

    private static void report(DifferentialCampaign c, long nanos, boolean last) {
        double seconds = nanos / 1e9;
        System.out.printf("%s%d cases (%d Programs, %d rejected by the checker; %d with an ambiguous action identity) in %s: %.1f cases/s, %d failures%n",
                last ? "done: " : "", c.cases, c.programs, c.rejected, c.ambiguous, Duration.ofSeconds((long) seconds), c.cases / seconds,
                c.failures.size());
    }
}
