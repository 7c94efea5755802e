package charter.engine.reference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import charter.compiler.Compilation;
import charter.compiler.CompiledProgram;
import charter.compiler.ast.Decl;
import charter.compiler.ast.InvariantBody;
import charter.engine.event.CanonicalEvent;
import charter.engine.event.EventFileReader;
import charter.engine.explain.Explanation;
import charter.engine.explain.Explanation.Question;
import charter.engine.explain.Explanation.SubjectKind;
import charter.engine.intent.IntentFileReader;
import charter.engine.intent.IntentRequest;
import charter.engine.result.Provenance;
import charter.engine.result.SimulationResult;
import charter.engine.result.TimelineEntry;
import charter.engine.runtime.Simulator;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Property: on generated Programs and streams (the differential generators), explain's verdict
 * for every rule and event, every state invariant and event, and every deny guard and intent is
 * what the compiled Drools engine did: a rule output citing the event, a violation citing it, a
 * denial in the intent's decision. A disagreement is shrunk and printed as a case folder listing.
 */
class ExplainAgreementTest {
    static final long SEED = Long.getLong("explain.seed", 20261205L);
    static final int PROGRAMS = Integer.getInteger("explain.programs", 20);

    private final Differential differential = new Differential();

    @Test
    void explainsVerdictIsWhatTheCompiledEngineDid() {
        List<String> failures = new ArrayList<>();
        int questions = 0;
        int happened = 0;
        for (long k = 0; k < PROGRAMS && failures.isEmpty(); k++) {
            CaseGenerator generator = new CaseGenerator(new Random(SEED * 1_000_003L + k));
            List<String> declarations = generator.declarations();
            DiffCase first = generator.stream(declarations, 12);
            Compilation compilation = differential.compile(first);
            if (!compilation.ok()) continue;
            try (var js = compilation.program().functions()) {
                for (int s = 0; s < 4; s++) {
                    DiffCase c = s == 0 ? first : generator.stream(declarations, 12);
                    List<String> disagreements = disagreements(compilation.program(), c);
                    questions += asked;
                    happened += yes;
                    if (!disagreements.isEmpty()) {
                        DiffCase small = Shrinker.shrink(c, candidate -> {
                            Compilation again = differential.compile(candidate);
                            return again.ok() && !disagreements(again.program(), candidate).isEmpty();
                        });
                        Compilation again = differential.compile(small);
                        failures.add("seed " + SEED + ", program " + k + ":\n" + String.join("\n", disagreements(again.program(), small))
                                + "\n" + small.listing());
                        break;
                    }
                }
            }
        }
        System.err.printf("explain agreement: %d questions, compiled %d ms, compiled+explain %d ms%n", questions, compiledNanos / 1_000_000, explainNanos / 1_000_000);
        assertEquals(List.of(), failures, () -> String.join("\n\n", failures));
        assertTrue(questions > 300, "questions asked: " + questions);
        assertTrue(happened > 20 && happened < questions, "verdicts that happened: " + happened + " of " + questions);
    }

    private int asked;
    private int yes;

    private List<String> disagreements(CompiledProgram program, DiffCase c) {
        asked = 0;
        yes = 0;
        List<CanonicalEvent> events = new EventFileReader().read("events.jsonl", c.eventsJsonl()).events();
        List<IntentRequest> intents = new IntentFileReader(program).read("intents.jsonl", c.intentsJsonl()).intents();
        long t0 = System.nanoTime();
        SimulationResult compiled = new Simulator().run(program, events, intents, null);
        compiledNanos += System.nanoTime() - t0;
        var resolved = program.drl().core().typed().program();
        Explainer explainer = new Explainer();
        List<String> out = new ArrayList<>();
        for (CanonicalEvent e : events) {
            if (events.stream().filter(o -> o.id().equals(e.id())).count() > 1) continue;   // ids are unique in the generator
            for (Decl.RuleDecl r : resolved.rules()) {
                boolean engine = compiled.timeline().stream().anyMatch(t -> cites(t, r.name().text(), e.id()));
                check(explainer.explain(program, events, intents, null, new Question(r.name().text(), SubjectKind.EVENT, e.id())), engine, out);
            }
            for (Decl.InvariantDecl inv : resolved.invariants()) {
                if (!(inv.body() instanceof InvariantBody.StateGuard)) continue;
                boolean engine = compiled.timeline().stream().anyMatch(t -> t instanceof TimelineEntry.Violation v
                        && v.invariant().equals(inv.name().text()) && v.provenance().eventIds().contains(e.id()));
                check(explainer.explain(program, events, intents, null, new Question(inv.name().text(), SubjectKind.EVENT, e.id())), engine, out);
            }
        }
        for (IntentRequest i : intents) {
            for (Decl.InvariantDecl inv : resolved.invariants()) {
                if (!(inv.body() instanceof InvariantBody.DenyGuard)) continue;
                boolean engine = compiled.timeline().stream().anyMatch(t -> t instanceof TimelineEntry.Decision d
                        && d.intentId().equals(i.id()) && d.denials().stream().anyMatch(x -> x.invariant().equals(inv.name().text())));
                check(explainer.explain(program, events, intents, null, new Question(inv.name().text(), SubjectKind.INTENT, i.id())), engine, out);
            }
        }
        explainNanos += System.nanoTime() - t0;
        return out;
    }

    long compiledNanos;
    long explainNanos;

    private void check(Explanation x, boolean engine, List<String> out) {
        asked++;
        if (engine) yes++;
        if (x.verdict().happened() != engine) {
            out.add(x.target().id() + " on " + x.subject().id() + ": explain says " + x.verdict().words() + " (" + x.reason()
                    + "), the compiled engine " + (engine ? "did" : "did not"));
        }
    }

    /** An output of the rule citing the event: a planned or skipped action, or a rule error. */
    private static boolean cites(TimelineEntry t, String rule, String eventId) {
        Provenance p = switch (t) {
            case TimelineEntry.PlannedAction a -> a.provenance();
            case TimelineEntry.RuleError r -> r.provenance();
            case TimelineEntry.SkippedAction s -> s.provenance();
            default -> null;
        };
        return p != null && p.kind() == Provenance.Kind.RULE && p.id().equals(rule) && p.eventIds().contains(eventId);
    }
}
