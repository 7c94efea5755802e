package charter.compiler.passes;

import charter.compiler.core.CoreElement;
import charter.compiler.core.CoreGuard;
import charter.compiler.core.CoreProgram;
import charter.compiler.core.CoreRule;
import charter.compiler.core.CoreStateInvariant;
import charter.compiler.core.FactPattern;
import charter.compiler.generate.DrlText;
import charter.compiler.generate.GeneratedDrl;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Pass 5, generate: core → DRL text plus a source map. Deterministic: the same
 * Program gives the same bytes. Rule names are `r<index>_<id>` for rules,
 * `g<index>_<id>` for deny guards, `s<index>_<id>` for state invariants.
 */
public final class GeneratePass implements Pass<CoreProgram, GeneratedDrl> {
    public static final String PACKAGE = "charter.generated";

    @Override
    public String name() {
        return "generate";
    }

    @Override
    public GeneratedDrl run(CoreProgram core, Diagnostics diagnostics) {
        Writer w = new Writer();
        w.line("package " + PACKAGE + ";");
        w.line("");
        // Consequences are one call each; MVEL spares the Java compiler a class per rule at build time.
        w.line("dialect \"mvel\"");
        w.line("");
        w.line("import charter.facts.EventFact;");
        w.line("import charter.facts.IntentFact;");
        w.line("import charter.facts.CountLatch;");
        w.line("import charter.facts.EntityFact;");
        w.line("");
        w.line("global charter.facts.Conditions cond;");
        w.line("global charter.facts.Outputs out;");
        w.line("");
        w.line("declare EventFact");
        w.line("    @role(event) @timestamp(time) @expires(" + core.eventHorizonMillis() + "ms)");
        w.line("end");
        w.line("");
        w.line("declare IntentFact");
        w.line("    @role(event) @timestamp(time) @expires(" + core.eventHorizonMillis() + "ms)");
        w.line("end");
        for (CoreRule rule : core.rules()) rule(w, rule);
        for (CoreGuard guard : core.guards()) guard(w, guard);
        for (CoreStateInvariant state : core.stateInvariants()) state(w, state);
        return new GeneratedDrl(core, w.text(), w.sourceMap);
    }

    private static void rule(Writer w, CoreRule rule) {
        String name = "r" + rule.index() + "_" + DrlText.checked(rule.id());
        if (rule.counting()) {
            countingRule(w, rule, name);
            return;
        }
        int first = w.begin(name);
        w.line("    when");
        Map<String, Set<String>> keys = joinKeyBindings(rule.when().stream().map(CoreElement::pattern).toList());
        for (CoreElement e : rule.when()) element(w, e, keys);
        String decided = decidedAt(rule);
        if (decided != null) w.line("        eval( cond.notLaterThan(" + decided + ") )");
        w.line("    then");
        w.line("        out.ruleFired(" + rule.index() + ", new Object[]{ " + String.join(", ", rule.matchedVars()) + " });");
        w.end(first, name, rule.id(), rule.span());
    }

    /**
     * For a rule with an absence, the instant its combination can be decided (the latest of its
     * events' times and of its forward absences' deadlines), as a DRL expression; else null. A filler
     * may expire before its anchor (same-type fillers share one horizon, and absences that anchor on
     * each other's types in a cycle cannot all be kept long enough): the `not` then holds again, and
     * without this bound the rule would fire then, late.
     */
    private static String decidedAt(CoreRule rule) {
        boolean absence = rule.when().stream().anyMatch(e -> e instanceof CoreElement.Absent a && a.pattern().temporal() != null);
        if (!absence) return null;
        List<String> times = new ArrayList<>();
        for (CoreElement e : rule.when()) {
            FactPattern p = e.pattern();
            if (e instanceof CoreElement.Match && p.kind() == FactPattern.FactKind.EVENT) times.add(p.var() + ".time");
            if (e instanceof CoreElement.Absent && p.temporal() != null && p.temporal().after()) {
                times.add(p.temporal().anchorVar() + ".time + " + p.temporal().windowMillis() + "L");
            }
        }
        String max = times.getFirst();
        for (String t : times.subList(1, times.size())) max = "Math.max(" + max + ", " + t + ")";
        return max;
    }

    /** Two rules: one fires when the count crosses the threshold and sets a latch; one lifts the latch when it falls back. */
    private static void countingRule(Writer w, CoreRule rule, String name) {
        CoreElement.Counted counted = (CoreElement.Counted) rule.when().getFirst();
        FactPattern p = counted.pattern();
        String op = switch (counted.op()) {
            case AT_LEAST -> ">=";
            case MORE_THAN -> ">";
            case EXACTLY -> "==";
        };
        String negated = switch (counted.op()) {
            case AT_LEAST -> "<";
            case MORE_THAN -> "<=";
            case EXACTLY -> "!=";
        };
        if (!counted.groupBy().isEmpty()) {
            groupedCountingRule(w, rule, name, counted, op, negated);
            return;
        }
        String accumulate = "        accumulate( " + p.var() + " : " + pattern(p, Map.of(), false) + " over window:time(" + counted.windowMillis() + "ms);";
        int first = w.begin(name);
        w.line("    when");
        w.line("        not CountLatch( rule == " + rule.index() + " )");
        w.line(accumulate);
        w.line("            $count : count(" + p.var() + "), $counted : collectList(" + p.var() + ");");
        w.line("            $count " + op + " " + counted.threshold() + " )");
        w.line("    then");
        w.line("        insert(new CountLatch(" + rule.index() + "));");
        w.line("        out.ruleFired(" + rule.index() + ", $counted.toArray());");
        w.end(first, name, rule.id(), rule.span());
        String reset = name + "_reset";
        first = w.begin(reset);
        w.line("    when");
        w.line("        $latch : CountLatch( rule == " + rule.index() + " )");
        w.line(accumulate);
        w.line("            $count : count(" + p.var() + ");");
        w.line("            $count " + negated + " " + counted.threshold() + " )");
        w.line("    then");
        w.line("        delete($latch);");
        w.end(first, reset, rule.id(), rule.span());
    }

    /**
     * A count per group: any counted event in memory names a group by its key values (one with a
     * key missing names none); the rule fires when that group's window crosses the threshold and no
     * latch of the group is set, and a reset rule lifts a group's latch when its count falls back.
     * The key is compared as {@link charter.facts.CountLatch#key} values, which follow the language's `==`.
     */
    private static void groupedCountingRule(Writer w, CoreRule rule, String name, CoreElement.Counted counted, String op, String negated) {
        FactPattern p = counted.pattern();
        String member = p.var() + "m";
        String base = pattern(p, Map.of(), false);
        String keyOfThis = "CountLatch.key(" + String.join(", ", counted.groupBy().stream().map(GeneratePass::field).toList()) + ")";
        List<String> present = counted.groupBy().stream().map(f -> field(f) + " != null").toList();
        String trigger = base.substring(0, base.length() - 2) + ", " + String.join(", ", present) + ", $group : " + keyOfThis + " )";
        String inGroup = base.substring(0, base.length() - 2) + ", " + keyOfThis + " == $group )";
        String accumulate = "        accumulate( " + member + " : " + inGroup + " over window:time(" + counted.windowMillis() + "ms);";
        int first = w.begin(name);
        w.line("    when");
        w.line("        " + p.var() + " : " + trigger);
        w.line("        not CountLatch( rule == " + rule.index() + ", group == $group )");
        w.line(accumulate);
        w.line("            $count : count(" + member + "), $counted : collectList(" + member + ");");
        w.line("            $count " + op + " " + counted.threshold() + " )");
        w.line("    then");
        w.line("        insert(new CountLatch(" + rule.index() + ", $group));");
        w.line("        out.ruleFired(" + rule.index() + ", $counted.toArray());");
        w.end(first, name, rule.id(), rule.span());
        String reset = name + "_reset";
        first = w.begin(reset);
        w.line("    when");
        w.line("        $latch : CountLatch( rule == " + rule.index() + ", $group : group )");
        w.line(accumulate);
        w.line("            $count : count(" + member + ");");
        w.line("            $count " + negated + " " + counted.threshold() + " )");
        w.line("    then");
        w.line("        delete($latch);");
        w.end(first, reset, rule.id(), rule.span());
    }

    /** An event field in DRL: the common fields are properties, the rest are data entries. */
    private static String field(String name) {
        return switch (name) {
            case "id", "source", "type", "time", "significance" -> name;
            default -> "data[" + DrlText.literal(name) + "]";
        };
    }

    private static void guard(Writer w, CoreGuard guard) {
        String name = "g" + guard.index() + "_" + DrlText.checked(guard.id());
        int first = w.begin(name);
        w.line("    when");
        w.line("        " + guard.intentPattern().var() + " : " + pattern(guard.intentPattern(), Map.of(), false));
        Map<String, Set<String>> keys = joinKeyBindings(guard.state().stream().flatMap(CoreElement::patterns).toList());
        // Drools cannot evaluate a temporal operator against a fact bound inside the same exists/not
        // (the declaration is not in the tuple there): nested windows compare bound times instead.
        for (CoreElement e : guard.state()) {
            CoreElement.flatten(innerOf(e)).forEach(inner -> {
                FactPattern.TemporalLink t = inner.pattern().temporal();
                if (t != null && !t.anchorVar().equals(guard.intentPattern().var())) {
                    keys.computeIfAbsent(t.anchorVar(), v -> new java.util.TreeSet<>()).add(TIME);
                }
            });
        }
        // The guard is decided at the intent's instant, against what is in memory then: a window on
        // the intent is a plain time range. Drools' own temporal operators would make a `not` wait for
        // the window to close, after the intent has gone (a `not exists` guard then never denied).
        for (CoreElement e : guard.state()) w.line("        " + conditionalElement(e, keys, true));
        w.line("    then");
        w.line("        out.denied(" + guard.index() + ", " + guard.intentPattern().var() + ", new Object[]{ "
                + guard.intentPattern().var() + " });");
        w.end(first, name, guard.id(), guard.span());
    }

    private static void state(Writer w, CoreStateInvariant state) {
        String name = "s" + state.index() + "_" + DrlText.checked(state.id());
        int first = w.begin(name);
        w.line("    when");
        Map<String, Set<String>> keys = joinKeyBindings(List.of(state.every(), state.has()));
        w.line("        " + state.every().var() + " : " + pattern(state.every(), keys, false));
        w.line("        not( " + pattern(state.has(), keys, false) + " )");
        w.line("    then");
        w.line("        out.violated(" + state.index() + ", new Object[]{ " + state.every().var() + " });");
        w.end(first, name, state.id(), state.span());
    }

    /** For each anchor variable, the data fields later patterns join on: bound as `$f0__field : data["field"]`. */
    private static Map<String, Set<String>> joinKeyBindings(List<FactPattern> patterns) {
        Map<String, Set<String>> out = new java.util.HashMap<>();
        for (FactPattern p : patterns) {
            for (FactPattern.JoinKey k : p.joinKeys()) out.computeIfAbsent(k.anchorVar(), v -> new java.util.TreeSet<>()).add(k.anchorField());
        }
        return out;
    }

    private static String keyVar(String anchorVar, String field) {
        return anchorVar + "__" + DrlText.checked(field);
    }

    private static void element(Writer w, CoreElement e, Map<String, Set<String>> keys) {
        w.line("        " + conditionalElement(e, keys, false));
    }

    /**
     * One element on one line; nested elements join their pattern inside its `exists`/`not`, where its
     * binding is seen. {@code guard}: every window is a plain time range (see {@link #guard}).
     */
    private static String conditionalElement(CoreElement e, Map<String, Set<String>> keys, boolean guard) {
        return switch (e) {
            case CoreElement.Match m -> m.pattern().var() + " : " + pattern(m.pattern(), keys, guard);
            // A look-back absence is decided when its anchor arrives: a plain time range, as Drools'
            // `before` would delay the rule past the window and let the events that fill it expire first.
            case CoreElement.Absent a -> "not( " + withInner(a.pattern(), a.inner(), keys,
                    guard || a.pattern().temporal() != null && !a.pattern().temporal().after()) + " )";
            case CoreElement.Exists x -> "exists( " + withInner(x.pattern(), x.inner(), keys, guard) + " )";
            case CoreElement.Counted c -> throw new IllegalStateException("counting rules are generated separately");
        };
    }

    private static String withInner(FactPattern p, List<CoreElement> inner, Map<String, Set<String>> keys, boolean range) {
        if (inner.isEmpty()) return pattern(p, keys, range);
        StringBuilder out = new StringBuilder(p.var()).append(" : ").append(pattern(p, keys, range));
        for (CoreElement e : inner) out.append(" and ").append(conditionalElement(e, keys, true));
        return out.toString();
    }

    private static List<CoreElement> innerOf(CoreElement e) {
        return switch (e) {
            case CoreElement.Absent a -> a.inner();
            case CoreElement.Exists x -> x.inner();
            default -> List.of();
        };
    }

    /** Marks, in the join-key bindings, an anchor whose time a nested window compares with (bound as `$fN__time : time`). */
    private static final String TIME = "__time";

    /**
     * `EventFact( type == "…", this != $f0, this after[0ms, 900000ms] $f0, cond.test(3, $f0, this) )`;
     * with `range`, the window is written as bounds on `time` instead of a Drools temporal operator.
     */
    private static String pattern(FactPattern p, Map<String, Set<String>> keys, boolean range) {
        List<String> constraints = new ArrayList<>();
        switch (p.kind()) {
            case EVENT, ENTITY -> constraints.add("type == " + DrlText.literal(p.type()));
            case INTENT -> {
                constraints.add("name == " + DrlText.literal(p.type()));
                constraints.add("phase == \"decide\"");
            }
        }
        for (String field : keys.getOrDefault(p.var(), Set.of())) {
            if (field.equals(TIME)) constraints.add(p.var() + TIME + " : time");
            else constraints.add(keyVar(p.var(), field) + " : data[" + DrlText.literal(field) + "]");
        }
        for (FactPattern.LiteralKey k : p.literalKeys()) {
            constraints.add("data[" + DrlText.literal(k.field()) + "] == " + DrlText.value(k.value()));
        }
        for (FactPattern.JoinKey k : p.joinKeys()) {
            // A missing value equals nothing in the language, so two missing fields must not join.
            constraints.add("data[" + DrlText.literal(k.field()) + "] != null");
            constraints.add("data[" + DrlText.literal(k.field()) + "] == " + keyVar(k.anchorVar(), k.anchorField()));
        }
        for (String earlier : p.distinctFrom()) constraints.add("this != " + earlier);
        if (p.temporal() != null && keys.getOrDefault(p.temporal().anchorVar(), Set.of()).contains(TIME)) {
            // An anchor bound inside the same exists/not: its time was bound as a variable. Both edges included.
            String anchor = p.temporal().anchorVar() + TIME;
            long w = p.temporal().windowMillis();
            if (p.temporal().after()) {
                constraints.add("time >= " + anchor);
                constraints.add("time <= " + anchor + " + " + w + "L");
            } else {
                constraints.add("time <= " + anchor);
                constraints.add("time >= " + anchor + " - " + w + "L");
            }
        } else if (p.temporal() != null && range) {
            FactPattern.TemporalLink t = p.temporal();
            String anchor = t.anchorVar() + ".time";
            constraints.add(t.after() ? "time >= " + anchor : "time >= " + anchor + " - " + t.windowMillis() + "L");
            constraints.add(t.after() ? "time <= " + anchor + " + " + t.windowMillis() + "L" : "time <= " + anchor);
        } else if (p.temporal() != null) {
            String op = p.temporal().after() ? "after" : "before";
            constraints.add("this " + op + "[0ms, " + p.temporal().windowMillis() + "ms] " + p.temporal().anchorVar());
        }
        if (p.conditionId() >= 0) {
            List<String> args = new ArrayList<>(p.conditionArgs());
            args.add("this");
            String call = args.size() <= 3
                    ? "cond.test(" + p.conditionId() + ", " + String.join(", ", args) + ")"
                    : "cond.test(" + p.conditionId() + ", new Object[]{ " + String.join(", ", args) + " })";
            constraints.add(call);
        }
        String cls = switch (p.kind()) {
            case EVENT -> "EventFact";
            case INTENT -> "IntentFact";
            case ENTITY -> "EntityFact";
        };
        return cls + "( " + String.join(", ", constraints) + " )";
    }

    /** Accumulates lines and the source map. */
    private static final class Writer {
        private final StringBuilder text = new StringBuilder();
        private final List<GeneratedDrl.SourceMapEntry> sourceMap = new ArrayList<>();
        private int lines;

        void line(String s) {
            text.append(s).append('\n');
            lines++;
        }

        int begin(String name) {
            line("");
            line("rule " + DrlText.literal(name));
            return lines;
        }

        void end(int first, String name, String owner, charter.compiler.ast.Span span) {
            line("end");
            sourceMap.add(new GeneratedDrl.SourceMapEntry(first, lines, name, owner, span));
        }

        String text() {
            return text.toString();
        }
    }
}
