package charter.bench.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * After a load run: reads the tenant's whole event log back through {@code GET /v1/events}
 * (paginated by sequence, 500 a page) and checks that every delivery the server acknowledged is
 * in it, exactly once.
 */
public final class EventLogCheck {
    /**
     * @param acknowledged deliveries the server answered 202 to
     * @param found        of those, how many are in the log
     * @param missing      a few of the acknowledged deliveries that are not (at most 10)
     * @param twice        acknowledged deliveries logged more than once
     * @param logEvents    events in the tenant's log in all
     * @param pages        pages read
     */
    public record Result(long acknowledged, long found, List<String> missing, long twice, long logEvents, int pages, double seconds) {
        public boolean complete() {
            return found == acknowledged && twice == 0;
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int PAGE = 500;

    private EventLogCheck() {}

    public static Result check(InetSocketAddress address, String token, Set<String> acknowledged, Duration maxTime) throws IOException {
        long t0 = System.nanoTime();
        long deadline = t0 + maxTime.toNanos();
        Map<String, Integer> seen = new HashMap<>();
        long after = 0;
        long events = 0;
        int pages = 0;
        try (HttpConnection conn = new HttpConnection(address, 60_000)) {
            while (true) {
                if (System.nanoTime() > deadline) throw new IOException("reading the event log took longer than " + maxTime.toSeconds() + " s");
                HttpConnection.Response r = conn.send("GET", "/v1/events?limit=" + PAGE + "&after=" + after,
                        Map.of("Authorization", "Bearer " + token), new byte[0]);
                if (r.status() != 200) throw new IOException("GET /v1/events: " + r.status() + " " + r.text());
                JsonNode page = JSON.readTree(r.body());
                pages++;
                JsonNode list = page.path("events");
                for (JsonNode e : list) {
                    events++;
                    seen.merge(e.path("deliveryId").asText(), 1, Integer::sum);
                    after = Math.max(after, e.path("sequence").asLong());
                }
                if (page.path("next").isNull() || list.isEmpty()) break;
            }
        }
        long found = 0;
        long twice = 0;
        List<String> missing = new ArrayList<>();
        for (String id : new HashSet<>(acknowledged)) {
            Integer n = seen.get(id);
            if (n == null) {
                if (missing.size() < 10) missing.add(id);
            } else {
                found++;
                if (n > 1) twice++;
            }
        }
        return new Result(acknowledged.size(), found, missing, twice, events, pages, (System.nanoTime() - t0) / 1e9);
    }
}
