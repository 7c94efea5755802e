package charter.engine.json;

import charter.engine.explain.Explanation;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/**
 * An explanation as JSON, the one shape for `charter explain --format json` and whatever else
 * serves explanations: {@code {target, subject, verdict, happened, reason, occurrences, steps, guards}}.
 * Keys in a fixed order; times as ISO-8601 instants; outcomes and verdicts in lower case.
 */
public final class ExplanationJson {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private ExplanationJson() {}

    public static ObjectNode tree(Explanation x) {
        ObjectNode out = NODES.objectNode();
        ObjectNode target = out.putObject("target");
        target.put("kind", x.target().kind()).put("id", x.target().id()).put("title", x.target().title())
                .put("level", x.target().level()).put("location", x.target().location());
        ObjectNode subject = out.putObject("subject");
        subject.put("kind", x.subject().kind().name().toLowerCase()).put("id", x.subject().id())
                .put("type", x.subject().type()).put("time", time(x.subject().time()));
        out.put("verdict", x.verdict().name().toLowerCase().replace('_', '-'));
        out.put("happened", x.verdict().happened());
        out.put("reason", x.reason());
        ArrayNode occurrences = out.putArray("occurrences");
        for (Explanation.Occurrence o : x.occurrences()) {
            ObjectNode node = occurrences.addObject().put("time", time(o.time()));
            o.eventIds().forEach(node.putArray("events")::add);
        }
        ArrayNode steps = out.putArray("steps");
        for (Explanation.Step s : x.steps()) {
            ObjectNode node = steps.addObject();
            node.put("role", s.role()).put("text", s.text());
            if (s.window() == null) node.putNull("window");
            else node.putObject("window").put("text", s.window().text()).put("from", time(s.window().from())).put("to", time(s.window().to()));
            if (s.holds() == null) node.putNull("holds");
            else node.put("holds", s.holds());
            node.put("note", s.note());
            checks(node.putArray("checks"), s);
            ArrayNode candidates = node.putArray("candidates");
            for (Explanation.Candidate c : s.candidates()) {
                ObjectNode cn = candidates.addObject();
                cn.put("id", c.eventId()).put("type", c.type()).put("time", time(c.time())).put("subject", c.subject());
                if (c.inWindow() == null) cn.putNull("inWindow");
                else cn.put("inWindow", c.inWindow());
                cn.put("matches", c.matches()).put("held", c.held());
                ArrayNode checks = cn.putArray("checks");
                c.checks().forEach(check -> checks.add(check(check)));
            }
        }
        ArrayNode guards = out.putArray("guards");
        for (Explanation.Guard g : x.guards()) {
            guards.addObject().put("invariant", g.invariant()).put("level", g.level()).put("denies", g.denies()).put("reason", g.reason());
        }
        return out;
    }

    private static void checks(ArrayNode into, Explanation.Step s) {
        s.checks().forEach(c -> into.add(check(c)));
    }

    private static ObjectNode check(Explanation.Check c) {
        ObjectNode out = NODES.objectNode();
        out.put("text", c.text()).put("outcome", c.outcome().name().toLowerCase());
        ObjectNode values = out.putObject("values");
        c.values().forEach(v -> values.put(v.path(), v.value()));
        return out;
    }

    private static String time(Instant t) {
        return t == null ? null : t.toString();
    }
}
