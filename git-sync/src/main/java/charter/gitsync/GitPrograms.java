package charter.gitsync;

import charter.compiler.Compilation;
import charter.compiler.CompiledProgram;
import charter.compiler.ProgramCompiler;
import charter.compiler.catalog.Catalog;
import charter.engine.scenario.ScenarioError;
import charter.engine.scenario.ScenarioOutcome;
import charter.engine.scenario.ScenarioRunner;
import charter.engine.scenario.TestReport;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Compiling a Program read from Git and running its scenarios from memory; the version is the commit SHA. */
public final class GitPrograms {
    private GitPrograms() {}

    /** Every pass; the runnable Program (when there is one) carries the commit SHA as its version. */
    public static Compilation compile(ProgramCompiler compiler, ProgramSnapshot snapshot) {
        return compile(compiler, snapshot, ProgramCompiler.Stage.BUILT);
    }

    /** The passes up to {@code upTo}; the Program (when there is one) carries the commit SHA as its version. */
    public static Compilation compile(ProgramCompiler compiler, ProgramSnapshot snapshot, ProgramCompiler.Stage upTo) {
        Compilation c = compiler.compile(snapshot.files(), upTo);
        if (c.program() == null) return c;
        return new Compilation(c.root(), c.sources(), c.diagnostics(), c.passesRun(), c.drl(),
                c.program().withVersion(snapshot.sha()));
    }

    public static Compilation compile(ProgramSnapshot snapshot) {
        return compile(new ProgramCompiler(Catalog.standard()), snapshot);
    }

    /** Runs the snapshot's `scenarios/*.yaml` in file-name order, like `charter test` on a folder. */
    public static TestReport runScenarios(CompiledProgram program, ProgramSnapshot snapshot) {
        ScenarioRunner runner = new ScenarioRunner(program);
        List<ScenarioOutcome> outcomes = new ArrayList<>();
        List<ScenarioError> errors = new ArrayList<>();
        for (Map.Entry<String, byte[]> e : snapshot.scenarios().entrySet()) {
            String text;
            try {
                text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(e.getValue())).toString();
            } catch (CharacterCodingException bad) {
                errors.add(new ScenarioError(e.getKey(), 1, 1, "the file is not valid UTF-8"));
                continue;
            }
            ScenarioOutcome outcome = runner.run(e.getKey(), text, errors);
            if (outcome != null) outcomes.add(outcome);
        }
        return new TestReport(program.name(), program.version(), outcomes, errors);
    }
}
