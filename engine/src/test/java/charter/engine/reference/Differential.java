package charter.engine.reference;

import charter.compiler.Compilation;
import charter.compiler.CompiledProgram;
import charter.compiler.ProgramCompiler;
import charter.compiler.catalog.Catalog;
import charter.compiler.diag.Diagnostic;
import charter.compiler.load.ProgramFiles;
import charter.engine.event.EventFileResult;
import charter.engine.event.EventFileReader;
import charter.engine.intent.IntentFileReader;
import charter.engine.result.SimulationResult;
import charter.engine.runtime.Simulator;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * Runs one case through the compiled Drools path and the reference interpreter and compares the
 * results. A Program the checker rejects must come with diagnostics that each have a code and a
 * position; one it accepts must run in both without a crash.
 */
final class Differential {
    private final ProgramCompiler compiler = new ProgramCompiler(Catalog.standard());

    /** What one case gave. {@code detail} is empty when both sides agree. */
    record Verdict(Kind kind, String detail) {
        boolean failed() {
            return kind == Kind.DIVERGED || kind == Kind.CRASHED || kind == Kind.BAD_DIAGNOSTIC;
        }
    }

    /** AMBIGUOUS: agreed once the arguments of actions whose identity two combinations share are left out. */
    enum Kind { AGREED, REJECTED, AMBIGUOUS, DIVERGED, CRASHED, BAD_DIAGNOSTIC }

    /** Compiles the case's Program: null when the checker rejected it (with well-formed diagnostics). */
    Compilation compile(DiffCase c) {
        return compiler.compile(new ProgramFiles("differential", Map.of(
                "charter.yaml", c.manifest().getBytes(StandardCharsets.UTF_8),
                "main.charter", c.main().getBytes(StandardCharsets.UTF_8))));
    }

    Verdict run(DiffCase c) {
        Compilation compilation;
        try {
            compilation = compile(c);
        } catch (RuntimeException e) {
            return new Verdict(Kind.CRASHED, "the compiler threw " + trace(e));
        }
        if (!compilation.ok()) {
            for (Diagnostic d : compilation.diagnostics()) {
                if (d.isError() && (d.code() == null || d.span() == null || d.code().id().equals("CH901"))) {
                    return new Verdict(Kind.BAD_DIAGNOSTIC, "a diagnostic without a code or position, or internal: " + d);
                }
            }
            return new Verdict(Kind.REJECTED, compilation.diagnostics().toString());
        }
        return run(compilation.program(), c);
    }

    Verdict run(CompiledProgram program, DiffCase c) {
        EventFileResult events = new EventFileReader().read("events.jsonl", c.eventsJsonl());
        var intents = new IntentFileReader(program).read("intents.jsonl", c.intentsJsonl());
        if (!events.errors().isEmpty() || !intents.errors().isEmpty()) {
            return new Verdict(Kind.CRASHED, "the generator wrote bad input: " + events.errors() + intents.errors());
        }
        SimulationResult compiled;
        SimulationResult reference;
        try {
            compiled = new Simulator().run(program, events.events(), intents.intents(), null);
        } catch (RuntimeException e) {
            return new Verdict(Kind.CRASHED, "the compiled path threw " + trace(e));
        }
        ReferenceSimulator oracle = new ReferenceSimulator();
        try {
            reference = oracle.run(program, events.events(), intents.intents(), null);
        } catch (RuntimeException e) {
            return new Verdict(Kind.CRASHED, "the reference interpreter threw " + trace(e));
        }
        var masked = oracle.ambiguousActionIds();
        String diff = Outcomes.diff(Outcomes.lines(compiled, false, masked), Outcomes.lines(reference, false, masked));
        if (!diff.isEmpty()) return new Verdict(Kind.DIVERGED, diff);
        return masked.isEmpty() ? new Verdict(Kind.AGREED, "") : new Verdict(Kind.AMBIGUOUS, masked.toString());
    }

    private static String trace(RuntimeException e) {
        StringBuilder out = new StringBuilder(e.toString());
        for (StackTraceElement s : List.of(e.getStackTrace()).subList(0, Math.min(8, e.getStackTrace().length))) {
            out.append("\n    at ").append(s);
        }
        return out.toString();
    }
}
