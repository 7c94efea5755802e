package charter.compiler.load;

import java.time.ZoneId;
import java.util.List;
import java.util.Map;

/**
 * `charter.yaml`: the Program's name, its entry file, the sources it listens to,
 * its time zone for `weekday(...)` and `hour(...)`, connector settings whose
 * secrets are references (`env:NAME`), never values, and which tools' actions run
 * live, are only recorded, or wait for approval ({@link ActionPolicy}).
 */
public record Manifest(String name, String main, ZoneId timezone, List<String> sources,
                       Map<String, Map<String, String>> connectors, ActionPolicy actions) {
    public Manifest {
        sources = List.copyOf(sources);
        connectors = Map.copyOf(connectors);
        if (actions == null) actions = ActionPolicy.RECORD_ALL;
    }

    public Manifest(String name, String main, ZoneId timezone, List<String> sources, Map<String, Map<String, String>> connectors) {
        this(name, main, timezone, sources, connectors, ActionPolicy.RECORD_ALL);
    }
}
