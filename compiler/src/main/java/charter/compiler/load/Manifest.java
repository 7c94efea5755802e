package charter.compiler.load;

import java.time.ZoneId;
import java.util.List;
import java.util.Map;

/**
 * `charter.yaml`: the Program's name, its entry file, the sources it listens to,
 * its time zone for `weekday(...)` and `hour(...)`, and connector settings whose
 * secrets are references (`env:NAME`), never values.
 */
public record Manifest(String name, String main, ZoneId timezone, List<String> sources,
                       Map<String, Map<String, String>> connectors) {
    public Manifest {
        sources = List.copyOf(sources);
        connectors = Map.copyOf(connectors);
    }
}
