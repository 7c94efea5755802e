package charter.server.act;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the dispatcher counts: attempts by tenant, tool and result ({@code sent}, {@code retried},
 * {@code failed}, {@code unknown}), and each attempt's latency by tenant and tool. Tools are the catalog's,
 * so the series are bounded; each meter is looked up once per label set (registering one per attempt
 * showed in the sender's profile).
 */
public final class ActMetrics {
    private final MeterRegistry registry;
    private final Map<List<String>, Counter> counters = new ConcurrentHashMap<>();
    private final Map<List<String>, Timer> timers = new ConcurrentHashMap<>();

    public ActMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** An action taken to be sent: {@code how} is {@code record} (in the transaction that recorded it) or {@code claim}. */
    void taken(String tenant, String tool, String how) {
        counters.computeIfAbsent(List.of("charter_actions_taken", tenant, tool, how), k -> Counter.builder(k.get(0))
                .description("Actions taken to be sent, by how: as recorded, or by the dispatcher's claim")
                .tags("tenant", tenant, "tool", tool, "how", how).register(registry)).increment();
    }

    void attempt(String tenant, String tool, String result, Duration took) {
        counters.computeIfAbsent(List.of("charter_actions", tenant, tool, result), k -> Counter.builder(k.get(0))
                .description("Attempts to carry out actions, by result (sent, retried, failed)")
                .tags("tenant", tenant, "tool", tool, "result", result).register(registry)).increment();
        if (took != null) {
            timers.computeIfAbsent(List.of(tenant, tool), k -> Timer.builder("charter_action_attempt").description("How long one attempt at a tool took")
                    .tags("tenant", tenant, "tool", tool).publishPercentileHistogram().register(registry)).record(took);
        }
    }
}
