package charter.gitsync;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A watcher event and a commit as JSON: {@code charter watch --format json} and the server's
 * {@code GET /v1/program/history} are this one tree. Keys in a fixed order, times ISO-8601 UTC.
 */
public final class WatchEventJson {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private WatchEventJson() {}

    /** kind, at, commit (or null), reasons, live (or null), timings (or null). */
    public static ObjectNode tree(WatchEvent e) {
        ObjectNode out = NODES.objectNode();
        out.put("kind", e.kind().label());
        out.put("at", e.at().toString());
        if (e.commit() == null) out.putNull("commit");
        else out.set("commit", commit(e.commit()));
        ArrayNode reasons = out.putArray("reasons");
        e.reasons().forEach(reasons::add);
        if (e.live() == null) out.putNull("live");
        else out.put("live", e.live());
        if (e.timings() == null) {
            out.putNull("timings");
        } else {
            var t = e.timings();
            out.putObject("timings").put("readMillis", t.readMillis()).put("compileMillis", t.compileMillis())
                    .put("scenarioMillis", t.scenarioMillis()).put("swapMillis", t.swapMillis())
                    .put("totalMillis", t.totalMillis()).put("scenarios", t.scenarios());
        }
        return out;
    }

    /** sha, shortSha, author, email, date, message, parents. */
    public static ObjectNode commit(ProgramCommit c) {
        ObjectNode out = NODES.objectNode();
        out.put("sha", c.sha());
        out.put("shortSha", c.shortSha());
        out.put("author", c.author());
        out.put("email", c.email());
        out.put("date", c.date().toString());
        out.put("message", c.message());
        out.put("parents", c.parents());
        return out;
    }
}
