package charter.engine.reference;

import charter.compiler.ast.Pattern;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which facts a pattern binds: of its type, inside its window, its {@code where} true with the
 * bindings in scope plus its own, and not an event another pattern of the same rule already
 * bound (two patterns never bind the same event).
 */
final class Patterns {
    private final Evaluator evaluator;
    private final History history;

    Patterns(Evaluator evaluator, History history) {
        this.evaluator = evaluator;
        this.history = history;
    }

    /** @param taken the history positions of the events bound so far */
    List<Fact> matches(Pattern p, Map<String, Fact> env, Set<Integer> taken, long now) {
        String type = p.type().name();
        List<Fact> out = new ArrayList<>();
        if (!type.contains(".")) {
            for (Fact.Entity n : history.entities()) if (n.type().equals(type) && holds(p, env, n, now)) out.add(n);
            return out;
        }
        for (Fact.Event e : history.events(type)) {
            if (taken.contains(e.seq()) || !inWindow(p, env, e.millis())) continue;
            if (holds(p, env, e, now)) out.add(e);
        }
        return out;
    }

    /** {@code within D after a}: [a, a + D]; {@code within D before a}: [a - D, a]; both ends included. */
    static boolean inWindow(Pattern p, Map<String, Fact> env, long time) {
        if (p.temporal() == null) return true;
        long anchor = time(env.get(p.temporal().anchor().text()));
        long d = p.temporal().window().millis();
        return p.temporal().direction() == Pattern.Direction.AFTER
                ? time >= anchor && time <= anchor + d
                : time >= anchor - d && time <= anchor;
    }

    /** When a window over events ends: the instant after which no event can change what is in it. */
    static long windowEnd(Pattern p, Map<String, Fact> env) {
        long anchor = time(env.get(p.temporal().anchor().text()));
        return p.temporal().direction() == Pattern.Direction.AFTER ? anchor + p.temporal().window().millis() : anchor;
    }

    static long time(Fact f) {
        return switch (f) {
            case Fact.Event e -> e.millis();
            case Fact.Intent i -> i.request().time().toEpochMilli();
            case Fact.Entity n -> throw new IllegalStateException("an entity has no time");
        };
    }

    private boolean holds(Pattern p, Map<String, Fact> env, Fact candidate, long now) {
        if (p.where() == null) return true;
        Map<String, Fact> inner = new LinkedHashMap<>(env);
        inner.put(p.binding().text(), candidate);
        return evaluator.test(p.where(), new Evaluator.Scope(inner, null, now));
    }
}
