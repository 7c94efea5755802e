package charter.engine.runtime;

import charter.compiler.CompiledProgram;
import charter.compiler.builtins.Builtin;
import charter.compiler.catalog.Catalog;
import charter.compiler.eval.Frame;
import charter.compiler.eval.Values;
import charter.compiler.passes.CatalogTypes;
import charter.engine.event.CanonicalEvent;
import charter.facts.EventFact;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * An event's significance (0..100): the highest score among the Program's matching
 * {@code significance} clauses for its type, else the score the event already carries,
 * else the catalog's default for its type (0 for a type the catalog does not know).
 * Used by {@link ProgramSession} for the facts rules see and by the ingestor for the
 * score stored on each event. Thread-safe when the Program's conditions are.
 */
public final class SignificanceScorer {
    private final CompiledProgram program;
    private final Map<String, List<CompiledProgram.SignificanceRule>> clauses;
    private final Map<String, Integer> defaults;

    private SignificanceScorer(CompiledProgram program, Map<String, List<CompiledProgram.SignificanceRule>> clauses,
                               Map<String, Integer> defaults) {
        this.program = program;
        this.clauses = clauses;
        this.defaults = defaults;
    }

    /** The Program's clauses over the catalog defaults it was compiled with. */
    public static SignificanceScorer of(CompiledProgram program) {
        return new SignificanceScorer(program, program.significance(), program.defaultSignificance());
    }

    /** No Program: the catalog's default score per event type. */
    public static SignificanceScorer catalogDefaults(Catalog catalog) {
        return new SignificanceScorer(null, Map.of(), CatalogTypes.defaultSignificance(catalog));
    }

    /** The catalog's default for a type; 0 for a type it does not know. */
    public int defaultFor(String type) {
        return defaults.getOrDefault(type, 0);
    }

    /** The score before the Program's clauses: the event's own, else the default of its type. */
    public int baseline(CanonicalEvent event) {
        return event.significance() != null ? event.significance() : defaultFor(event.type());
    }

    /** Whether the Program has clauses for this type (so scoring needs a fact and a context). */
    public boolean hasClauses(String type) {
        return clauses.containsKey(type);
    }

    /**
     * The fact's score: the highest matching clause, else the score the fact carries.
     *
     * @param context the built-ins' context the clauses are evaluated in (its {@code now} is event time)
     */
    public int score(EventFact fact, Builtin.Context context) {
        return score(fact, context, failure -> {});
    }

    /** A clause whose condition failed (a function that threw, a value of the wrong kind): it counts as not matching. */
    public record ClauseFailure(String eventType, int clauseScore, RuntimeException error) {}

    /**
     * {@link #score(EventFact, Builtin.Context)}, telling {@code failures} of every clause whose
     * condition failed: that clause alone counts as not matching, as a failing condition of a rule
     * does, so one bad value never stops an event from being scored and going through the rules.
     */
    public int score(EventFact fact, Builtin.Context context, Consumer<ClauseFailure> failures) {
        List<CompiledProgram.SignificanceRule> list = clauses.get(fact.getType());
        if (list == null) return fact.getSignificance();
        Frame frame = new Frame(new Object[]{fact}, context);
        int best = -1;
        for (CompiledProgram.SignificanceRule clause : list) {
            if (clause.where() == null || matches(clause, frame, fact.getType(), failures)) best = Math.max(best, clause.score());
        }
        return best >= 0 ? best : fact.getSignificance();
    }

    private static boolean matches(CompiledProgram.SignificanceRule clause, Frame frame, String type, Consumer<ClauseFailure> failures) {
        try {
            return Values.truthy(clause.where().eval(frame));
        } catch (RuntimeException | StackOverflowError e) {
            failures.accept(new ClauseFailure(type, clause.score(),
                    e instanceof RuntimeException re ? re : new IllegalStateException("stack overflow", e)));
            return false;
        }
    }

    /**
     * Scores a canonical event on its own, with {@code now} at the event's time: the event with its
     * score set. A failing clause counts as not matching; the session that runs the event reports
     * the failure as a rule error of the event.
     */
    public CanonicalEvent score(CanonicalEvent event) {
        int base = baseline(event);
        int score = base;
        if (hasClauses(event.type())) {
            EventFact fact = new EventFact(event.id(), event.source(), event.type(), event.time().toEpochMilli(), base,
                    event.data(), event.entities().stream().map(r -> r.type() + ":" + r.key()).toList());
            long now = event.time().toEpochMilli();
            score = score(fact, new Builtin.Context(program.directory(), program.zone(), now));
        }
        if (event.significance() != null && event.significance() == score) return event;
        return new CanonicalEvent(event.id(), event.source(), event.type(), event.time(), event.data(), event.entities(), score);
    }
}
