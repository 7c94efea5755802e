package charter.compiler.passes;

import charter.compiler.ast.ActionCall;
import charter.compiler.ast.Condition;
import charter.compiler.ast.Decl;
import charter.compiler.ast.Duration;
import charter.compiler.ast.Expr;
import charter.compiler.ast.InvariantBody;
import charter.compiler.ast.Name;
import charter.compiler.ast.Pattern;
import charter.compiler.ast.Span;
import charter.compiler.ast.TypeRef;
import charter.compiler.builtins.Builtin;
import charter.compiler.diag.Code;
import charter.compiler.diag.Diagnostic;
import charter.compiler.diag.Suggestions;
import charter.compiler.model.ResolvedProgram;
import charter.compiler.model.TypedProgram;
import charter.compiler.types.Type;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import charter.compiler.eval.Regex;
import java.util.stream.Collectors;

/**
 * Pass 3, typecheck: checks every pattern, field, operator, call and action against
 * the event, entity and tool catalog, records the type of every expression, and
 * rejects rules the engine could not run in bounded memory or time. Every error is
 * reported in one run; an expression with an error has {@link Type#ERROR}, which
 * matches anything, so that one mistake is reported once.
 *
 * <p>Names the resolve pass reported as unknown are typed {@link Type#ERROR} here
 * without a second diagnostic, so the pass may run after a resolve with errors.
 */
public final class TypecheckPass implements Pass<ResolvedProgram, TypedProgram> {
    /** The longest window a pattern may wait: events older than this are never kept in memory. */
    public static final long MAX_WINDOW_MILLIS = 30L * 86_400_000L;

    private final TypeCatalog catalog;
    private final CheckCache cache;

    public TypecheckPass(TypeCatalog catalog) {
        this(catalog, CheckCache.NONE);
    }

    public TypecheckPass(TypeCatalog catalog, CheckCache cache) {
        this.catalog = catalog;
        this.cache = cache;
    }

    @Override
    public String name() {
        return "typecheck";
    }

    @Override
    public TypedProgram run(ResolvedProgram input, Diagnostics diagnostics) {
        if (input == null) return null;
        return new Run(input, diagnostics).check();
    }

    /**
     * The names visible at one point and their types. In a significance clause
     * `bare` is true and `fields` are the event's fields (null if the type is unknown).
     */
    private record Env(Map<String, Type> names, boolean bare, String bareType, Map<String, Type> fields) {
        static Env base() {
            Map<String, Type> names = new LinkedHashMap<>();
            names.put(ResolvePass.NOW, Type.TIME);
            return new Env(names, false, null, null);
        }

        Env with(String name, Type type) {
            Map<String, Type> copy = new LinkedHashMap<>(names);
            copy.put(name, type);
            return new Env(copy, bare, bareType, fields);
        }
    }

    private final class Run {
        private final ResolvedProgram program;
        private final Diagnostics diagnostics;
        private final Map<Expr, Type> types = new IdentityHashMap<>();
        private final Map<String, Map<String, Type>> intentFields = new HashMap<>();

        Run(ResolvedProgram program, Diagnostics diagnostics) {
            this.program = program;
            this.diagnostics = diagnostics;
        }

        TypedProgram check() {
            for (Decl.FunctionDecl f : program.functions().values()) function(f);
            for (Decl.IntentDecl i : program.intents().values()) intentFields.put(i.name().text(), intentSignature(i));
            for (Decl.SignificanceClause c : program.significance()) significance(c);
            for (Decl.TruthDecl t : program.truths()) truth(t);
            for (Decl.RuleDecl r : program.rules()) rule(r);
            for (Decl.InvariantDecl i : program.invariants()) invariant(i);
            for (Decl.IntentDecl i : program.intents().values()) {
                Env env = Env.base().with(ResolvePass.INTENT, new Type.IntentOf(i.name().text()));
                for (ActionCall a : i.resolve()) action(a, env);
                approvalTeams(i.approval(), env);
            }
            return new TypedProgram(program, types);
        }

        // ---- declarations ----

        /** Checks a JavaScript function's declared types and its JavaScript syntax. */
        private void function(Decl.FunctionDecl f) {
            for (Decl.Param p : f.params()) parameterType(p.type());
            parameterType(f.result());
            cache.checkFunction(f, charter.compiler.js.JsValidator::check).ifPresent(diagnostics::report);
        }

        private Type parameterType(Name type) {
            Optional<Type> t = Type.parseParameterType(type.text());
            if (t.isEmpty()) {
                report(Code.UNKNOWN_TYPE, type.span(), "unknown type `" + type.text() + "`; use one of "
                        + String.join(", ", Type.PARAMETER_TYPES), type.text(), Type.PARAMETER_TYPES);
            }
            return t.orElse(Type.ERROR);
        }

        private Map<String, Type> intentSignature(Decl.IntentDecl i) {
            Map<String, Type> fields = new LinkedHashMap<>();
            for (Decl.Param p : i.params()) {
                Optional<Type> type = Type.parseParameterType(p.type().text());
                if (type.isEmpty()) {
                    report(Code.UNKNOWN_TYPE, p.type().span(), "unknown parameter type `" + p.type().text() + "`; use one of "
                            + String.join(", ", Type.PARAMETER_TYPES), p.type().text(), Type.PARAMETER_TYPES);
                }
                fields.putIfAbsent(p.name().text(), type.orElse(Type.ERROR));
            }
            fields.putIfAbsent("actor", Type.PERSON);
            fields.putIfAbsent("reason", Type.STRING);
            fields.putIfAbsent("time", Type.TIME);
            fields.putIfAbsent("id", Type.STRING);
            return fields;
        }

        private void significance(Decl.SignificanceClause c) {
            TypeRef ref = c.type();
            Map<String, Type> fields = null;
            if (!ref.name().contains(".") && catalog.entityFields(ref.name()).isPresent()) {
                diagnostics.report(Diagnostic.error(Code.UNKNOWN_EVENT_TYPE, ref.span(),
                        "`" + ref.name() + "` is an entity type; significance scores events"));
            } else {
                fields = catalog.eventFields(ref.name()).orElse(null);
                if (fields == null) {
                    report(Code.UNKNOWN_EVENT_TYPE, ref.span(), "unknown event type `" + ref.name() + "`", ref.name(), catalog.eventTypeNames());
                }
            }
            if (c.score() < 0 || c.score() > 100) {
                diagnostics.report(Diagnostic.error(Code.BAD_SCORE, c.span(),
                        "significance must be between 0 and 100, got " + c.score()));
            }
            if (c.where() != null) {
                Env env = new Env(Env.base().names(), true, ref.name(), fields);
                requireBool(c.where(), type(c.where(), env), "a significance condition");
            }
        }

        private void truth(Decl.TruthDecl t) {
            String entity = t.entity().text();
            Optional<Map<String, Type>> fields = catalog.entityFields(entity);
            if (fields.isEmpty()) {
                report(Code.UNKNOWN_EVENT_TYPE, t.entity().span(), "unknown entity type `" + entity + "`", entity, catalog.entityTypeNames());
            } else if (!fields.get().containsKey(t.attribute().text())) {
                report(Code.UNKNOWN_FIELD, t.attribute().span(), "unknown field `" + t.attribute().text() + "` on " + entity,
                        t.attribute().text(), fields.get().keySet());
            }
        }

        private void rule(Decl.RuleDecl r) {
            Env env = Env.base();
            List<Pattern> unanchored = new ArrayList<>();
            for (Condition c : r.when()) {
                switch (c) {
                    case Condition.Match m -> {
                        Type t = pattern(m.pattern(), env);
                        // a binding that repeats a name was reported by resolve; it would only add a second error here
                        boolean repeated = env.names().containsKey(m.pattern().binding().text());
                        if (isEvent(t) && m.pattern().temporal() == null && !repeated) unanchored.add(m.pattern());
                        env = env.with(m.pattern().binding().text(), t);
                    }
                    case Condition.Absent a -> pattern(a.pattern(), env);
                    case Condition.Count k -> {
                        Type counted = pattern(k.pattern(), env);
                        groupKeys(k, env.with(k.pattern().binding().text(), counted));
                        countBindings.put(k.pattern().binding().text(), counted);
                        window(k.window());
                        int least = k.op() == Condition.CountOp.MORE_THAN ? 0 : 1;
                        if (k.threshold() < least) {
                            diagnostics.report(Diagnostic.error(Code.BAD_THRESHOLD, k.span(), "`count(...) " + k.op().symbol() + " "
                                    + k.threshold() + "` does not count anything; the threshold must be at least 1"));
                        }
                    }
                }
            }
            for (int i = 1; i < unanchored.size(); i++) {
                Pattern first = unanchored.getFirst();
                Pattern p = unanchored.get(i);
                diagnostics.report(Diagnostic.error(Code.UNBOUNDED_JOIN, p.type().span().to(p.binding().span()),
                        "`" + p.binding().text() + "` (" + p.type().name() + ") is joined with `" + first.binding().text() + "` ("
                                + first.type().name() + ") without a time window; add `within <duration> after "
                                + first.binding().text() + "` (a rule may have only one event pattern without `within`)"));
            }
            // A counting rule's actions see its binding as the newest counted event.
            for (var counted : countBindings.entrySet()) env = env.with(counted.getKey(), counted.getValue());
            countBindings.clear();
            for (ActionCall a : r.then()) action(a, env);
            approvalTeams(r.approval(), env);
        }

        /** Each `owner(...)` of an `approval by` (null: no clause) must give a team. */
        private void approvalTeams(charter.compiler.ast.ApprovalRule rule, Env env) {
            if (rule == null) return;
            for (var who : rule.by()) {
                if (!(who instanceof charter.compiler.ast.OverrideRule.Overrider.TeamOf f)) continue;
                Type t = type(f.team(), env);
                if (t != Type.ERROR && t != Type.TEAM) {
                    diagnostics.report(Diagnostic.error(Code.TYPE_MISMATCH, f.span(), "`approval by` needs a team here,"
                            + " such as owner(d.project) or team_of(intent.actor); this gives " + t.display()));
                }
            }
        }

        /** The bindings of the counts of the rule being checked, which its actions see. */
        private final Map<String, Type> countBindings = new LinkedHashMap<>();

        /** `by b.field`: a field of the counted event (the resolve pass checked the shape), and not a list. */
        private void groupKeys(Condition.Count k, Env env) {
            for (Expr.Path key : k.groupBy()) {
                if (key.segments().size() != 2 || !key.segments().getFirst().text().equals(k.pattern().binding().text())) continue;
                Type t = type(key, env);
                if (t instanceof Type.ListOf) {
                    diagnostics.report(Diagnostic.error(Code.GROUP_KEY, key.span(), "`" + key.dotted()
                            + "` is a list; `by` groups by a single value such as a string, a number or a bool"));
                }
            }
        }

        private void invariant(Decl.InvariantDecl inv) {
            switch (inv.body()) {
                case InvariantBody.DenyGuard g -> {
                    Env env = Env.base().with(ResolvePass.INTENT, new Type.IntentOf(g.intent().text()));
                    if (g.where() != null) guardWhere(g.where(), env);
                    if (g.unless() != null) requireBool(g.unless(), type(g.unless(), env), "`unless`");
                    if (g.override() != null) {
                        for (var who : g.override().by()) {
                            if (!(who instanceof charter.compiler.ast.OverrideRule.Overrider.TeamOf f)) continue;
                            Type t = type(f.team(), env);
                            if (t != Type.ERROR && t != Type.TEAM) {
                                diagnostics.report(Diagnostic.error(Code.TYPE_MISMATCH, f.span(), "`override by` needs a team here,"
                                        + " such as owner(intent.repo) or team_of(intent.actor); this gives " + t.display()));
                            }
                        }
                    }
                }
                case InvariantBody.StateGuard g -> {
                    Env env = Env.base();
                    Type every = pattern(g.every(), env);
                    Type has = pattern(g.has(), env.with(g.every().binding().text(), every));
                    if (isEvent(has) && g.has().temporal() == null) {
                        diagnostics.report(Diagnostic.error(Code.BAD_WINDOW, g.has().type().span().to(g.has().binding().span()),
                                "`has` needs a deadline: add `within <duration> after " + g.every().binding().text() + "`"));
                    }
                }
            }
        }

        /** As the resolve pass scopes it: an `exists(P p)` binding is seen by the exists(...) that follow it. */
        private void guardWhere(Expr where, Env env) {
            Env existsEnv = env;
            for (Expr conjunct : conjuncts(where)) {
                Pattern p = existsPatternOf(conjunct);
                if (p == null) {
                    requireBool(conjunct, type(conjunct, env), "`where`");
                    continue;
                }
                Type t = pattern(p, existsEnv);
                types.put(conjunct, Type.BOOL);
                if (conjunct instanceof Expr.Unary u) types.put(u.operand(), Type.BOOL);
                if (conjunct instanceof Expr.ExistsPattern) existsEnv = existsEnv.with(p.binding().text(), t);
            }
        }

        private static Pattern existsPatternOf(Expr e) {
            if (e instanceof Expr.ExistsPattern x) return x.pattern();
            if (e instanceof Expr.Unary u && u.op() == Expr.UnaryOp.NOT && u.operand() instanceof Expr.ExistsPattern x) return x.pattern();
            return null;
        }

        private static List<Expr> conjuncts(Expr e) {
            if (e instanceof Expr.Binary b && b.op() == Expr.BinaryOp.AND) {
                List<Expr> out = new ArrayList<>(conjuncts(b.left()));
                out.addAll(conjuncts(b.right()));
                return out;
            }
            return List.of(e);
        }

        // ---- patterns ----

        /** Checks a pattern and returns the type of its binding. */
        private Type pattern(Pattern p, Env outer) {
            Type binding = factType(p.type());
            if (p.temporal() != null) {
                window(p.temporal().window());
                if (isEntity(binding)) {
                    diagnostics.report(Diagnostic.error(Code.BAD_WINDOW, p.temporal().span(),
                            "`within` needs an event; " + p.type().name() + " is an entity type and has no time"));
                }
                Type anchor = outer.names().get(p.temporal().anchor().text());
                if (isEntity(anchor)) {
                    diagnostics.report(Diagnostic.error(Code.BAD_WINDOW, p.temporal().anchor().span(), "`" + p.temporal().anchor().text()
                            + "` is a " + anchor.display() + " entity and has no time; anchor the window to an event"));
                }
            }
            if (p.where() != null) {
                Env inner = outer.with(p.binding().text(), binding);
                requireBool(p.where(), type(p.where(), inner), "`where`");
            }
            return binding;
        }

        private Type factType(TypeRef ref) {
            String name = ref.name();
            boolean event = name.contains(".");
            if ((event ? catalog.eventFields(name) : catalog.entityFields(name)).isPresent()) {
                if (event) warnUnlistedSource(ref);
                return new Type.FactOf(name);
            }
            Set<String> all = new LinkedHashSet<>(catalog.eventTypeNames());
            all.addAll(catalog.entityTypeNames());
            report(Code.UNKNOWN_EVENT_TYPE, ref.span(), "unknown " + (event ? "event" : "entity") + " type `" + name + "`", name, all);
            return Type.ERROR;
        }

        /**
         * `sources:` in charter.yaml says which sources the Program listens to: a pattern on another
         * source's events can never match what the Program is fed, which is almost always a slip.
         */
        private void warnUnlistedSource(TypeRef ref) {
            if (program.loaded() == null) return;
            List<String> listed = program.loaded().manifest().sources();
            String source = ref.name().substring(0, ref.name().indexOf('.'));
            if (!listed.contains(source)) {
                diagnostics.report(Diagnostic.warning(Code.SOURCE_NOT_LISTED, ref.span(), "`" + ref.name() + "` is a " + source
                        + " event, but charter.yaml lists only the sources " + listed + "; add " + source + " to `sources`"));
            }
        }

        private boolean isEvent(Type t) {
            return t instanceof Type.FactOf f && f.factType().contains(".");
        }

        private boolean isEntity(Type t) {
            return t instanceof Type.FactOf f && !f.factType().contains(".");
        }

        private Optional<Map<String, Type>> fieldsOf(Type.FactOf f) {
            return isEvent(f) ? catalog.eventFields(f.factType()) : catalog.entityFields(f.factType());
        }

        private void window(Duration d) {
            if (d.millis() <= 0 || d.millis() > MAX_WINDOW_MILLIS) {
                diagnostics.report(Diagnostic.error(Code.BAD_WINDOW, d.span(),
                        "a time window must be longer than 0 and at most 30d, got " + d.text()));
            }
        }

        // ---- actions ----

        /** True while an action's arguments are checked: the only place `?? skip` has a meaning. */
        private boolean inAction;

        private void action(ActionCall a, Env env) {
            inAction = true;
            try {
                checkAction(a, env);
            } finally {
                inAction = false;
            }
            approvalTeams(a.approval(), env);
        }

        private void checkAction(ActionCall a, Env env) {
            String tool = a.qualifiedName();
            Span toolSpan = a.tool().span().to(a.verb().span());
            Optional<List<ToolParamType>> params = catalog.toolParams(tool);
            if (params.isEmpty()) {
                report(Code.UNKNOWN_TOOL, toolSpan, "unknown action `" + tool + "`", tool, catalog.toolNames());
                for (ActionCall.Argument arg : a.args()) type(arg.value(), env);
                return;
            }
            Map<String, ToolParamType> byName = new LinkedHashMap<>();
            for (ToolParamType p : params.get()) byName.put(p.name(), p);
            Set<String> given = new HashSet<>();
            Set<String> suggested = new HashSet<>();
            for (ActionCall.Argument arg : a.args()) {
                Type actual = type(arg.value(), env);
                String name = arg.name().text();
                ToolParamType p = byName.get(name);
                if (p == null) {
                    Optional<String> s = Suggestions.closest(name, byName.keySet());
                    s.ifPresent(suggested::add);
                    Diagnostic d = Diagnostic.error(Code.UNKNOWN_ARGUMENT, arg.name().span(), tool + " has no argument `" + name
                            + "`; it takes " + byName.keySet().stream().map(n -> byName.get(n).required() ? n : n + "?")
                            .collect(Collectors.joining(", ")));
                    diagnostics.report(s.map(d::withSuggestion).orElse(d));
                } else if (!given.add(name)) {
                    diagnostics.report(Diagnostic.error(Code.DUPLICATE_NAME, arg.name().span(), "argument `" + name + "` is given twice"));
                } else if (!Type.assignable(actual, p.type())) {
                    diagnostics.report(Diagnostic.error(Code.TYPE_MISMATCH, arg.value().span(), "argument `" + name + "` of " + tool
                            + " expects " + p.type().display() + ", got " + actual.display()));
                } else if (!p.values().isEmpty() && arg.value() instanceof Expr.StringLit lit && lit.constantValue() != null
                        && !p.values().contains(lit.constantValue())) {
                    // The tool's API refuses any other value: say so now, not when the action fails in production.
                    Diagnostic d = Diagnostic.error(Code.TYPE_MISMATCH, arg.value().span(), "argument `" + name + "` of " + tool
                            + " must be one of " + p.values().stream().map(v -> "\"" + v + "\"").collect(Collectors.joining(", "))
                            + ", got \"" + lit.constantValue() + "\"");
                    diagnostics.report(Suggestions.closest(lit.constantValue(), p.values()).map(d::withSuggestion).orElse(d));
                }
            }
            List<String> missing = params.get().stream()
                    .filter(p -> p.required() && !given.contains(p.name()) && !suggested.contains(p.name()))
                    .map(ToolParamType::name).toList();
            if (!missing.isEmpty()) {
                diagnostics.report(Diagnostic.error(Code.MISSING_ARGUMENT, toolSpan, tool + " needs "
                        + missing.stream().map(m -> "`" + m + "`").collect(Collectors.joining(", "))));
            }
        }

        // ---- expressions ----

        private void requireBool(Expr e, Type t, String what) {
            if (t != Type.ERROR && t != Type.BOOL) {
                diagnostics.report(Diagnostic.error(Code.TYPE_MISMATCH, e.span(), what + " must be a condition (bool), got " + t.display()));
            }
        }

        private Type type(Expr e, Env env) {
            Type t = compute(e, env);
            types.put(e, t);
            return t;
        }

        private Type compute(Expr e, Env env) {
            return switch (e) {
                case Expr.StringLit s -> {
                    for (Expr.StringPart part : s.parts()) {
                        if (part instanceof Expr.StringPart.Interpolation i) type(i.expr(), env);
                    }
                    yield Type.STRING;
                }
                case Expr.NumberLit n -> Type.NUMBER;
                case Expr.DurationLit d -> Type.DURATION;
                case Expr.BoolLit b -> Type.BOOL;
                case Expr.NobodyLit n -> Type.TEAM;
                case Expr.Skip k -> {
                    diagnostics.report(Diagnostic.error(Code.SKIP_PLACEMENT, k.span(), inAction
                            ? "`skip` is only the right side of `??`: write `" + "d.url ?? skip` to skip the action when the field is missing"
                            : "`skip` skips an action: it belongs on the right of `??` in an action argument, not here"));
                    yield Type.ERROR;
                }
                case Expr.TeamRef t -> program.teams().containsKey(t.team().text()) ? Type.TEAM : Type.ERROR;
                case Expr.ListLit l -> list(l, env);
                case Expr.Call c -> call(c, env);
                case Expr.Path p -> path(p, env);
                case Expr.Unary u -> unary(u, env);
                case Expr.Binary b -> binary(b, env);
                case Expr.ExistsField x -> {
                    Type t = type(x.path(), env);
                    boolean field = x.path().segments().size() > 1 || (env.bare() && !env.names().containsKey(x.path().dotted()));
                    if (!field && t != Type.ERROR) {
                        diagnostics.report(Diagnostic.error(Code.TYPE_MISMATCH, x.path().span(),
                                "`exists` tests a field, such as `exists " + x.path().dotted() + ".assignee`; `"
                                        + x.path().dotted() + "` is a " + t.display()));
                        yield Type.ERROR;
                    }
                    yield Type.BOOL;
                }
                case Expr.ExistsPattern x -> {
                    pattern(x.pattern(), env);
                    yield Type.BOOL;
                }
            };
        }

        private Type list(Expr.ListLit l, Env env) {
            Type element = Type.ERROR;
            for (Expr item : l.items()) {
                Type t = type(item, env);
                if (t == Type.ERROR) continue;
                if (element == Type.ERROR) element = t;
                else if (!comparable(t, element)) {
                    diagnostics.report(Diagnostic.error(Code.TYPE_MISMATCH, item.span(),
                            "a list holds one type of value: this item is " + t.display() + ", the first is " + element.display()));
                }
            }
            return new Type.ListOf(element);
        }

        private Type call(Expr.Call c, Env env) {
            List<Type> args = new ArrayList<>();
            for (Expr a : c.args()) args.add(type(a, env));
            Optional<Builtin> builtin = Builtin.byName(c.function().text());
            Decl.FunctionDecl js = program.functions().get(c.function().text());
            if (builtin.isEmpty() && js != null) return jsCall(c, js, args);
            if (builtin.isEmpty()) return Type.ERROR;
            Builtin b = builtin.get();
            for (List<Type> overload : b.overloads()) {
                if (overload.size() != args.size()) continue;
                boolean fits = true;
                for (int i = 0; i < args.size(); i++) fits &= Type.assignable(args.get(i), overload.get(i));
                if (fits) return b.result();
            }
            String expected = b.overloads().stream().map(this::signature).collect(Collectors.joining(" or "));
            diagnostics.report(Diagnostic.error(Code.WRONG_ARGUMENTS, c.span(),
                    b.fnName() + " expects " + expected + ", got " + signature(args)));
            return Type.ERROR;
        }

        private Type jsCall(Expr.Call c, Decl.FunctionDecl f, List<Type> args) {
            List<Type> params = f.params().stream().map(p -> Type.parseParameterType(p.type().text()).orElse(Type.ERROR)).toList();
            Type result = Type.parseParameterType(f.result().text()).orElse(Type.ERROR);
            boolean fits = params.size() == args.size();
            for (int i = 0; fits && i < args.size(); i++) fits = Type.assignable(args.get(i), params.get(i));
            if (fits) return result;
            diagnostics.report(Diagnostic.error(Code.WRONG_ARGUMENTS, c.span(), f.name().text() + " (declared at "
                    + f.name().span() + ") expects " + signature(params) + ", got " + signature(args)));
            return Type.ERROR;
        }

        private String signature(List<Type> types) {
            return types.stream().map(Type::display).collect(Collectors.joining(", ", "(", ")"));
        }

        private Type path(Expr.Path p, Env env) {
            List<Name> segments = p.segments();
            Name first = segments.getFirst();
            Type t = env.names().get(first.text());
            if (t == null) {
                if (!env.bare() || env.fields() == null) return Type.ERROR; // reported by resolve, or the event type is unknown
                t = env.fields().get(first.text());
                if (t == null) {
                    report(Code.UNKNOWN_FIELD, first.span(), "unknown field `" + first.text() + "` on " + env.bareType(),
                            first.text(), env.fields().keySet());
                    return Type.ERROR;
                }
            }
            for (int i = 1; i < segments.size() && t != Type.ERROR; i++) {
                t = field(t, segments.get(i), p.segments().subList(0, i));
            }
            return t;
        }

        private Type field(Type owner, Name field, List<Name> prefix) {
            String name = field.text();
            switch (owner) {
                case Type.FactOf f -> {
                    Optional<Map<String, Type>> fields = fieldsOf(f);
                    if (fields.isEmpty()) return Type.ERROR;
                    Type t = fields.get().get(name);
                    if (t != null) return t;
                    report(Code.UNKNOWN_FIELD, field.span(), "unknown field `" + name + "` on " + f.factType(), name, fields.get().keySet());
                    return Type.ERROR;
                }
                case Type.IntentOf i -> {
                    Map<String, Type> fields = intentFields.get(i.intent());
                    if (fields == null) return Type.ERROR; // unknown intent, reported by resolve
                    Type t = fields.get(name);
                    if (t != null) return t;
                    report(Code.UNKNOWN_FIELD, field.span(), "unknown field `" + name + "` on intent " + i.intent(), name, fields.keySet());
                    return Type.ERROR;
                }
                default -> {
                    String dotted = prefix.stream().map(Name::text).collect(Collectors.joining("."));
                    diagnostics.report(Diagnostic.error(Code.UNKNOWN_FIELD, field.span(),
                            "`" + dotted + "` is a " + owner.display() + " and has no field `" + name + "`"));
                    return Type.ERROR;
                }
            }
        }

        private Type unary(Expr.Unary u, Env env) {
            Type t = type(u.operand(), env);
            if (t == Type.ERROR) return Type.ERROR;
            if (u.op() == Expr.UnaryOp.NOT) {
                if (t == Type.BOOL) return Type.BOOL;
                diagnostics.report(Diagnostic.error(Code.TYPE_MISMATCH, u.operand().span(), "`not` expects bool, got " + t.display()));
                return Type.ERROR;
            }
            if (t == Type.NUMBER || t == Type.DURATION) return t;
            diagnostics.report(Diagnostic.error(Code.TYPE_MISMATCH, u.span(), "cannot negate " + t.display()));
            return Type.ERROR;
        }

        private Type binary(Expr.Binary b, Env env) {
            if (b.op() == Expr.BinaryOp.COALESCE) return coalesce(b, env);
            Type l = type(b.left(), env);
            Type r = type(b.right(), env);
            String op = b.op().symbol();
            switch (b.op()) {
                case AND, OR -> {
                    boolean ok = true;
                    if (l != Type.ERROR && l != Type.BOOL) ok = mismatch(b.left(), "`" + op + "` expects bool, got " + l.display());
                    if (r != Type.ERROR && r != Type.BOOL) ok = mismatch(b.right(), "`" + op + "` expects bool, got " + r.display());
                    return ok ? Type.BOOL : Type.ERROR;
                }
                case COALESCE -> throw new IllegalStateException("handled by coalesce");
                case EQ, NEQ -> {
                    if (l == Type.ERROR || r == Type.ERROR || comparable(l, r)) return Type.BOOL;
                    return fail(b, "cannot compare " + l.display() + " with " + r.display());
                }
                case LT, LE, GT, GE -> {
                    if (l == Type.ERROR || r == Type.ERROR) return Type.BOOL;
                    if (l.equals(r) && (l == Type.NUMBER || l == Type.TIME || l == Type.DURATION)) return Type.BOOL;
                    return fail(b, "`" + op + "` compares two numbers, times or durations, got " + l.display() + " and " + r.display());
                }
                case PLUS -> {
                    if (l == Type.ERROR || r == Type.ERROR) return Type.ERROR;
                    if (l == Type.NUMBER && r == Type.NUMBER) return Type.NUMBER;
                    if (l == Type.STRING && r == Type.STRING) return Type.STRING;
                    if (l == Type.TIME && r == Type.DURATION || l == Type.DURATION && r == Type.TIME) return Type.TIME;
                    if (l == Type.DURATION && r == Type.DURATION) return Type.DURATION;
                    return fail(b, "cannot add " + l.display() + " and " + r.display()
                            + "; `+` takes two numbers, two strings, or a time and a duration");
                }
                case MINUS -> {
                    if (l == Type.ERROR || r == Type.ERROR) return Type.ERROR;
                    if (l == Type.NUMBER && r == Type.NUMBER) return Type.NUMBER;
                    if (l == Type.TIME && r == Type.DURATION) return Type.TIME;
                    if (l == Type.TIME && r == Type.TIME) return Type.DURATION;
                    if (l == Type.DURATION && r == Type.DURATION) return Type.DURATION;
                    return fail(b, "cannot subtract " + r.display() + " from " + l.display()
                            + "; `-` takes two numbers, two times, or a time and a duration");
                }
                case IN, NOT_IN -> {
                    if (l == Type.ERROR || r == Type.ERROR) return Type.BOOL;
                    if (r instanceof Type.ListOf list) {
                        if (list.element() == Type.ERROR || comparable(l, list.element())) return Type.BOOL;
                        return fail(b, "cannot look for " + l.display() + " in " + r.display());
                    }
                    if (r == Type.TEAM) {
                        if (l == Type.STRING || l == Type.PERSON) return Type.BOOL;
                        return fail(b, "`" + op + " team` needs a person or an identity string on the left, got " + l.display());
                    }
                    return fail(b, "`" + op + "` needs a list or a team on the right, got " + r.display());
                }
                case MATCHES -> {
                    boolean ok = true;
                    if (l != Type.ERROR && l != Type.STRING && l != Type.PERSON) {
                        ok = mismatch(b.left(), "`matches` needs a string on the left, got " + l.display());
                    }
                    String regex = b.right() instanceof Expr.StringLit s ? s.constantValue() : null;
                    if (regex == null) {
                        if (r != Type.ERROR) ok = mismatch(b.right(), "`matches` needs a constant string as its pattern");
                        return ok ? Type.BOOL : Type.ERROR;
                    }
                    if (Regex.compile(regex) instanceof Regex.Refused refused) {
                        diagnostics.report(Diagnostic.error(Code.BAD_REGEX, b.right().span(), refused.refusal().message()));
                        return Type.ERROR;
                    }
                    return ok ? Type.BOOL : Type.ERROR;
                }
            }
            throw new IllegalStateException("unhandled operator " + b.op());
        }

        /**
         * `x ?? d`: x when present, else d, which must have x's type (the more general of the two
         * is the result). `x ?? skip` (in an action argument) has x's type and skips the action.
         */
        private Type coalesce(Expr.Binary b, Env env) {
            Type l = type(b.left(), env);
            if (b.right() instanceof Expr.Skip skip) {
                types.put(skip, l);
                if (!inAction) {
                    diagnostics.report(Diagnostic.error(Code.SKIP_PLACEMENT, skip.span(),
                            "`?? skip` skips an action when a value is missing: it belongs in an action argument; in a condition, a missing value is already false"));
                    return Type.ERROR;
                }
                return l;
            }
            Type r = type(b.right(), env);
            if (l == Type.ERROR) return r;
            if (r == Type.ERROR) return l;
            if (Type.assignable(l, r)) return r;
            if (Type.assignable(r, l)) return l;
            return fail(b.right(), "the default after `??` must be a " + l.display() + " like `" + charter.compiler.fmt.Canonical.expr(b.left()) + "`, got " + r.display());
        }

        private boolean comparable(Type a, Type b) {
            return Type.assignable(a, b) || Type.assignable(b, a);
        }

        private boolean mismatch(Expr at, String message) {
            diagnostics.report(Diagnostic.error(Code.TYPE_MISMATCH, at.span(), message));
            return false;
        }

        private Type fail(Expr at, String message) {
            mismatch(at, message);
            return Type.ERROR;
        }

        /** Reports with the closest candidate as "did you mean"; a one-letter name is too short to guess from. */
        private void report(Code code, Span span, String message, String misspelt, Collection<String> candidates) {
            Diagnostic d = Diagnostic.error(code, span, message);
            if (misspelt.length() < 2) {
                diagnostics.report(d);
                return;
            }
            diagnostics.report(Suggestions.closest(misspelt, candidates).map(d::withSuggestion).orElse(d));
        }
    }
}
