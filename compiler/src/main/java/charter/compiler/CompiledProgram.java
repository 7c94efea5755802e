package charter.compiler;

import charter.compiler.builtins.Directory;
import charter.compiler.core.CoreGuard;
import charter.compiler.core.CoreRule;
import charter.compiler.core.CoreStateInvariant;
import charter.compiler.eval.CompiledAction;
import charter.compiler.eval.ConditionTable;
import charter.compiler.eval.Eval;
import charter.compiler.generate.GeneratedDrl;
import charter.compiler.load.Manifest;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.kie.api.KieBase;

/**
 * A Program version ready to run: the KieBase, the compiled conditions and
 * actions it calls back into, and the metadata that gives every output its
 * provenance. Immutable; built once per version and shared by every session.
 * A Program compiled only up to {@link ProgramCompiler.Stage#LINKED} (for the reference
 * interpreter: explain, `simulate --engine reference`) has no KieBase: {@link #kieBase()}
 * then fails with an {@link IllegalStateException} that says so, before any Drools session starts.
 * {@code functions} holds the sandbox contexts of its JavaScript functions: close it
 * when the version is unloaded.
 *
 * @param version the Program's content hash (or its Git commit, when read from Git)
 */
public record CompiledProgram(
        String name,
        String version,
        Manifest manifest,
        KieBase kieBase,
        GeneratedDrl drl,
        ConditionTable conditions,
        List<RuleInfo> rules,
        List<GuardInfo> guards,
        List<StateInfo> stateInvariants,
        Map<String, IntentInfo> intents,
        Map<String, List<SignificanceRule>> significance,
        Map<String, Integer> defaultSignificance,
        Directory directory,
        charter.compiler.js.JsFunctions functions) {

    /** The KieBase a Drools session runs; only a Program compiled with every pass has one. */
    @Override
    public KieBase kieBase() {
        if (kieBase == null) {
            throw new IllegalStateException("Program `" + name + "` was compiled without its Drools KieBase (up to the link pass, "
                    + "for the reference interpreter); compile it with ProgramCompiler.compile to run it on Drools");
        }
        return kieBase;
    }

    /** Whether the build pass ran: the Program can run on Drools. */
    public boolean runnable() {
        return kieBase != null;
    }

    /** This linked Program with the KieBase the build pass made of its DRL. */
    public CompiledProgram withKieBase(KieBase built) {
        return new CompiledProgram(name, version, manifest, java.util.Objects.requireNonNull(built, "kieBase"), drl, conditions,
                rules, guards, stateInvariants, intents, significance, defaultSignificance, directory, functions);
    }

    public ZoneId zone() {
        return manifest.timezone();
    }

    public CompiledProgram withVersion(String newVersion) {
        return new CompiledProgram(name, newVersion, manifest, kieBase, drl, conditions, rules, guards, stateInvariants,
                intents, significance, defaultSignificance, directory, functions);
    }

    /** A rule, the names of the facts its actions see, and its compiled actions. */
    public record RuleInfo(CoreRule core, List<CompiledAction> actions) {
        public String id() { return core.id(); }
    }

    /** A deny guard and who may override its denial (for a soft one; the others are never overridden). */
    public record GuardInfo(CoreGuard core, charter.compiler.eval.OverridePolicy override) {
        public String id() { return core.id(); }
    }

    public record StateInfo(CoreStateInvariant core) {
        public String id() { return core.id(); }
    }

    /** An intent's parameters (name → type name) and the actions it resolves to, seeing `intent` as fact 0. */
    public record IntentInfo(String name, String title, Map<String, String> params, List<CompiledAction> resolve,
                             charter.compiler.ast.Span span) {}

    /** `type where cond => score`; `where` is null when the clause has no condition. */
    public record SignificanceRule(int score, Eval where) {}
}
