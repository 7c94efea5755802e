package charter.bench.serve;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * What the machine was doing: the load average (the machine is shared, so every figure is printed
 * next to it) and the CPU time used by a process, read from {@code /proc}.
 */
public final class Machine {
    /** Linux reports utime/stime in USER_HZ ticks, which is 100 on every architecture the JDK runs on. */
    private static final double TICKS_PER_SECOND = 100.0;

    private Machine() {}

    /** The 1/5/15-minute load averages, or -1s when {@code /proc/loadavg} is not there. */
    public record Load(double one, double five, double fifteen) {
        public String text() {
            return one < 0 ? "unknown" : String.format("%.2f %.2f %.2f", one, five, fifteen);
        }
    }

    public static Load load() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return new Load(Double.parseDouble(f[0]), Double.parseDouble(f[1]), Double.parseDouble(f[2]));
        } catch (IOException | RuntimeException e) {
            return new Load(-1, -1, -1);
        }
    }

    public static int cores() {
        return Runtime.getRuntime().availableProcessors();
    }

    /** CPU seconds (user + system) of a process and its descendants so far, or -1 when unreadable. */
    public static double cpuSeconds(ProcessHandle process) {
        double total = cpuOf(process.pid());
        if (total < 0) return -1;
        try (Stream<ProcessHandle> d = process.descendants()) {
            for (ProcessHandle h : d.toList()) total += Math.max(0, cpuOf(h.pid()));
        }
        return total;
    }

    /** CPU seconds of this JVM (the load generator). */
    public static double ownCpuSeconds() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime() / 1e9;
        }
        return cpuOf(ProcessHandle.current().pid());
    }

    private static double cpuOf(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            // The command name (field 2) may hold spaces: count fields after its closing parenthesis.
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // f[0] is field 3 (state): utime is field 14, stime field 15.
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / TICKS_PER_SECOND;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
