package charter.compiler.passes;

import charter.compiler.CompiledProgram;
import charter.compiler.ast.Decl;
import charter.compiler.builtins.Directory;
import charter.compiler.core.CoreProgram;
import charter.compiler.eval.CompiledAction;
import charter.compiler.eval.ConditionTable;
import charter.compiler.eval.ExprCompiler;
import charter.compiler.generate.GeneratedDrl;
import charter.compiler.model.ResolvedProgram;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Pass 8, link: every condition, action argument, guard override and significance clause to
 * closures, and the JavaScript functions to their sandbox. Its Program has no KieBase yet: it is
 * what the reference interpreter (explain, `simulate --engine reference`) needs, and
 * {@link BuildPass} adds the KieBase for the callers that run Drools.
 */
public final class LinkPass implements Pass<GeneratedDrl, CompiledProgram> {
    private final Map<String, Integer> defaultSignificance;

    /** @param defaultSignificance the catalog's default score per event type */
    public LinkPass(Map<String, Integer> defaultSignificance) {
        this.defaultSignificance = Map.copyOf(defaultSignificance);
    }

    @Override
    public String name() {
        return "link";
    }

    @Override
    public CompiledProgram run(GeneratedDrl generated, Diagnostics diagnostics) {
        CoreProgram core = generated.core();
        ResolvedProgram program = core.typed().program();
        List<charter.compiler.js.JsFunction> functions = new ArrayList<>();
        for (Decl.FunctionDecl f : program.functions().values()) {
            functions.add(charter.compiler.js.JsFunction.of(functions.size(), f,
                    f.params().stream().map(p -> charter.compiler.types.Type.parseParameterType(p.type().text()).orElseThrow()).toList(),
                    charter.compiler.types.Type.parseParameterType(f.result().text()).orElseThrow()));
        }
        charter.compiler.js.JsFunctions js = functions.isEmpty() ? charter.compiler.js.JsFunctions.NONE
                : new charter.compiler.js.JsFunctions(functions, charter.compiler.js.JsLimits.DEFAULT);
        ExprCompiler compiler = new ExprCompiler(core.typed(), js);
        ConditionTable conditions = new ConditionTable(core.conditions(), compiler);

        Map<String, charter.compiler.ast.ApprovalRule> ruleApprovals = new java.util.HashMap<>();
        for (Decl.RuleDecl r : program.rules()) {
            if (r.approval() != null) ruleApprovals.put(r.name().text(), r.approval());
        }
        List<CompiledProgram.RuleInfo> rules = new ArrayList<>();
        for (var rule : core.rules()) {
            var scope = ExprCompiler.Scope.of(rule.matchedBindings());
            List<CompiledAction> actions = new ArrayList<>();
            for (int i = 0; i < rule.actions().size(); i++) {
                actions.add(CompiledAction.of(i, rule.actions().get(i), ruleApprovals.get(rule.id()), compiler, scope));
            }
            rules.add(new CompiledProgram.RuleInfo(rule, actions));
        }
        Map<String, CompiledProgram.IntentInfo> intents = new LinkedHashMap<>();
        for (Decl.IntentDecl intent : program.intents().values()) {
            var scope = ExprCompiler.Scope.of(List.of("intent"));
            List<CompiledAction> actions = new ArrayList<>();
            for (int i = 0; i < intent.resolve().size(); i++) {
                actions.add(CompiledAction.of(i, intent.resolve().get(i), intent.approval(), compiler, scope));
            }
            Map<String, String> params = new LinkedHashMap<>();
            intent.params().forEach(p -> params.put(p.name().text(), p.type().text()));
            intents.put(intent.name().text(), new CompiledProgram.IntentInfo(intent.name().text(), intent.title(), params, actions, intent.span()));
        }
        Map<String, List<CompiledProgram.SignificanceRule>> significance = new LinkedHashMap<>();
        for (Decl.SignificanceClause clause : program.significance()) {
            var where = clause.where() == null ? null : compiler.compile(clause.where(), ExprCompiler.Scope.implicitEvent());
            significance.computeIfAbsent(clause.type().name(), k -> new ArrayList<>())
                    .add(new CompiledProgram.SignificanceRule(clause.score(), where));
        }
        significance.replaceAll((k, v) -> List.copyOf(v));
        return new CompiledProgram(program.name(), program.loaded().version(), program.loaded().manifest(), null,
                generated, conditions, rules,
                guards(core, program, compiler),
                core.stateInvariants().stream().map(CompiledProgram.StateInfo::new).toList(),
                intents, significance, defaultSignificance, new Directory(program), js);
    }

    /** Each deny guard with its `override by` clause compiled (the default when it has none). */
    private static List<CompiledProgram.GuardInfo> guards(CoreProgram core, ResolvedProgram program, ExprCompiler compiler) {
        Map<String, charter.compiler.ast.OverrideRule> rules = new java.util.HashMap<>();
        for (Decl.InvariantDecl inv : program.invariants()) {
            if (inv.body() instanceof charter.compiler.ast.InvariantBody.DenyGuard d && d.override() != null) {
                rules.put(inv.name().text(), d.override());
            }
        }
        return core.guards().stream()
                .map(g -> new CompiledProgram.GuardInfo(g, charter.compiler.eval.OverridePolicy.of(rules.get(g.id()), compiler)))
                .toList();
    }
}
