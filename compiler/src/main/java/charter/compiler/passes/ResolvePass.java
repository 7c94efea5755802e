package charter.compiler.passes;

import charter.compiler.ast.ActionCall;
import charter.compiler.ast.Condition;
import charter.compiler.ast.Decl;
import charter.compiler.ast.Expr;
import charter.compiler.ast.InvariantBody;
import charter.compiler.ast.Name;
import charter.compiler.ast.Pattern;
import charter.compiler.ast.SourceFile;
import charter.compiler.ast.Span;
import charter.compiler.builtins.Builtin;
import charter.compiler.diag.Code;
import charter.compiler.diag.Diagnostic;
import charter.compiler.diag.SourceText;
import charter.compiler.diag.Suggestions;
import charter.compiler.load.LoadedProgram;
import charter.compiler.load.ProgramFiles;
import charter.compiler.model.ResolvedProgram;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Pass 2, resolve: follows imports from the entry file, builds the symbol tables
 * (people, teams, intents, rules, invariants) and checks that every name used in
 * an expression is declared and visible where it is used. Types are the next
 * pass's business; here a name is only known or unknown.
 */
public final class ResolvePass implements Pass<ParsedProgram, ResolvedProgram> {
    public static final List<String> IDENTITY_KINDS = List.of("name", "github", "linear", "vercel", "sentry", "email", "slack");
    public static final List<String> OWNED_KINDS = List.of("repo", "project", "service", "linear_team", "sentry_project");
    public static final List<String> SOURCES = List.of("github", "vercel", "linear", "sentry");
    /** The name bound everywhere to the current (event) time. */
    public static final String NOW = "now";
    /** The name bound to the intent inside a deny guard or a resolve block. */
    public static final String INTENT = "intent";

    @Override
    public String name() {
        return "resolve";
    }

    @Override
    public ResolvedProgram run(ParsedProgram input, Diagnostics diagnostics) {
        return new Run(input, diagnostics).resolve();
    }

    /** The pattern of `exists(P)` or `not exists(P)`, else null. */
    static Pattern existsPattern(Expr e) {
        if (e instanceof Expr.ExistsPattern x) return x.pattern();
        if (e instanceof Expr.Unary u && u.op() == Expr.UnaryOp.NOT && u.operand() instanceof Expr.ExistsPattern x) return x.pattern();
        return null;
    }

    static List<Expr> conjuncts(Expr e) {
        if (e instanceof Expr.Binary b && b.op() == Expr.BinaryOp.AND) {
            List<Expr> out = new ArrayList<>(conjuncts(b.left()));
            out.addAll(conjuncts(b.right()));
            return out;
        }
        return List.of(e);
    }

    /** What a name in scope stands for. */
    private enum Kind { FACT, INTENT, NOW }

    /**
     * The names visible at one point; `bareFields` marks a significance clause, where bare names are event fields.
     * `hidden` explains bindings of the same rule that exist but are not visible here.
     */
    private record Scope(Map<String, Kind> names, boolean bareFields, Map<String, String> hidden) {
        static Scope of(boolean bareFields) {
            Map<String, Kind> names = new LinkedHashMap<>();
            names.put(NOW, Kind.NOW);
            return new Scope(names, bareFields, Map.of());
        }

        Scope with(String name, Kind kind) {
            Map<String, Kind> copy = new LinkedHashMap<>(names);
            copy.put(name, kind);
            return new Scope(copy, bareFields, hidden);
        }

        Scope hiding(Map<String, String> hidden) {
            return new Scope(names, bareFields, Map.copyOf(hidden));
        }

        List<String> anchorable() {
            return names.entrySet().stream().filter(e -> e.getValue() != Kind.NOW).map(Map.Entry::getKey).toList();
        }
    }

    /** The state of one resolve run. */
    private static final class Run {
        private final ParsedProgram input;
        private final Diagnostics diagnostics;
        private final Map<String, SourceFile> byPath = new LinkedHashMap<>();
        private final Map<String, Decl.PersonDecl> people = new LinkedHashMap<>();
        private final Map<String, Decl.TeamDecl> teams = new LinkedHashMap<>();
        private final Map<String, Decl.IntentDecl> intents = new LinkedHashMap<>();
        /** Rules, invariants and intents share one namespace of ids. */
        private final Map<String, Span> ids = new HashMap<>();
        private final List<Decl.RuleDecl> rules = new ArrayList<>();
        private final List<Decl.InvariantDecl> invariants = new ArrayList<>();
        private final List<Decl.SignificanceClause> significance = new ArrayList<>();
        private final List<Decl.TruthDecl> truths = new ArrayList<>();
        private final Map<String, Decl.FunctionDecl> functions = new LinkedHashMap<>();

        Run(ParsedProgram input, Diagnostics diagnostics) {
            this.input = input;
            this.diagnostics = diagnostics;
            for (SourceFile f : input.files()) byPath.put(f.path(), f);
        }

        ResolvedProgram resolve() {
            LoadedProgram loaded = input.loaded();
            String entry = entryFile(loaded);
            if (entry == null) return null;

            List<SourceFile> files = new ArrayList<>();
            visit(entry, new ArrayList<>(), new HashSet<>(), files);
            Set<String> reachable = new HashSet<>();
            files.forEach(f -> reachable.add(f.path()));
            for (String path : byPath.keySet()) {
                if (!reachable.contains(path)) {
                    diagnostics.report(Diagnostic.warning(Code.FILE_NOT_IMPORTED, Span.at(path, 1, 1),
                            path + " is not imported from the entry file " + entry + "; its declarations are ignored"));
                }
            }

            String programName = programName(entry, files, loaded);
            for (SourceFile f : files) {
                for (Decl d : f.decls()) declare(d);
            }
            checkPeople();
            checkTeams();
            checkApprovers(loaded);
            for (Decl.RuleDecl r : rules) rule(r);
            for (Decl.InvariantDecl i : invariants) invariant(i);
            for (Decl.IntentDecl i : intentsInOrder) intent(i);
            for (Decl.SignificanceClause c : significance) {
                if (c.where() != null) expr(c.where(), Scope.of(true));
            }
            for (Decl.TruthDecl t : truths) {
                for (Name source : t.preference()) {
                    if (!SOURCES.contains(source.text())) {
                        report(Code.UNKNOWN_SOURCE, source.span(), "unknown source `" + source.text() + "`; Charter knows "
                                + String.join(", ", SOURCES), source.text(), SOURCES);
                    }
                }
            }
            for (Decl.FunctionDecl f : functions.values()) function(f);
            return new ResolvedProgram(loaded, programName, files, people, teams, intents, rules, invariants, significance, truths,
                    functions);
        }

        // ---- files and imports ----

        private String entryFile(LoadedProgram loaded) {
            String main = loaded.manifest().main();
            String entry = normalise("", main);
            if (entry != null && byPath.containsKey(entry)) return entry;
            if (entry != null && alreadyReported(entry)) return null;
            Span at = manifestLine(loaded, "main:");
            List<String> candidates = byPath.keySet().stream().toList();
            report(Code.IMPORT_NOT_FOUND, at, "the entry file `" + main + "` does not exist"
                    + (at == null ? "; create it or set `main:` in charter.yaml" : ""), main, candidates);
            return null;
        }

        /** The approvers the `connectors:` block names are people (by id) or teams (`team:<name>`) of the Program. */
        private void checkApprovers(LoadedProgram loaded) {
            if (loaded.manifest() == null) return;
            for (String key : loaded.manifest().actions().rules().keySet()) {
                if (!key.startsWith(charter.compiler.load.ActionPolicy.INTENT_PREFIX)) continue;
                String intent = key.substring(charter.compiler.load.ActionPolicy.INTENT_PREFIX.length());
                if (!intents.containsKey(intent)) {
                    report(Code.MANIFEST_INVALID, manifestLine(loaded, key), "unknown intent `" + intent + "` in `connectors`", intent, intents.keySet());
                }
            }
            for (var rule : loaded.manifest().actions().rules().values()) {
                for (String approver : rule.approvers()) {
                    boolean team = approver.startsWith("team:");
                    String name = team ? approver.substring(5) : approver;
                    if (team ? teams.containsKey(name) : people.containsKey(name)) continue;
                    Span at = manifestLine(loaded, approver);
                    report(team ? Code.UNKNOWN_TEAM : Code.UNKNOWN_PERSON, at, "unknown " + (team ? "team" : "person") + " `" + name + "` among the approvers of `connectors`; "
                            + "an approver is a person of the Program or `team:<team>`", name, team ? teams.keySet() : people.keySet());
                }
            }
        }

        /** A file that failed to load (not UTF-8, too large) was reported by the load pass already. */
        private boolean alreadyReported(String path) {
            return diagnostics.all().stream().anyMatch(d -> d.isError() && d.span() != null && path.equals(d.span().file()));
        }

        private static Span manifestLine(LoadedProgram loaded, String needle) {
            SourceText text = loaded.sources().get(ProgramFiles.MANIFEST);
            if (text == null) return null;
            for (int line = 1; line <= text.lineStarts().size(); line++) {
                int col = text.line(line).indexOf(needle);
                if (col >= 0) return new Span(text.path(), line, col + 1, line, text.line(line).length() + 1);
            }
            return null;
        }

        /** Depth first, dependencies before the files that import them, in the order the imports are written. */
        private void visit(String path, List<String> stack, Set<String> done, List<SourceFile> order) {
            SourceFile file = byPath.get(path);
            stack.add(path);
            for (Decl d : file.decls()) {
                if (!(d instanceof Decl.ImportDecl imp)) continue;
                String target = importTarget(path, imp);
                if (target == null) continue;
                int onStack = stack.indexOf(target);
                if (onStack >= 0) {
                    List<String> cycle = new ArrayList<>(stack.subList(onStack, stack.size()));
                    cycle.add(target);
                    diagnostics.report(Diagnostic.error(Code.IMPORT_CYCLE, imp.span(),
                            "imports form a cycle: " + String.join(" → ", cycle)));
                    continue;
                }
                if (!done.contains(target)) visit(target, stack, done, order);
            }
            stack.removeLast();
            done.add(path);
            order.add(file);
        }

        private String importTarget(String importer, Decl.ImportDecl imp) {
            String written = imp.path();
            String target = normalise(folderOf(importer), written);
            if (target == null) {
                diagnostics.report(Diagnostic.error(Code.IMPORT_NOT_FOUND, imp.span(),
                        "import \"" + written + "\" points outside the Program folder; imports are relative paths inside it"));
                return null;
            }
            if (!target.endsWith(".charter")) {
                diagnostics.report(Diagnostic.error(Code.IMPORT_NOT_FOUND, imp.span(),
                        "import \"" + written + "\" is not a .charter file"));
                return null;
            }
            if (byPath.containsKey(target)) return target;
            if (alreadyReported(target)) return null;
            String folder = folderOf(importer);
            List<String> candidates = byPath.keySet().stream().filter(p -> !p.equals(importer)).map(p -> relative(folder, p)).toList();
            report(Code.IMPORT_NOT_FOUND, imp.span(), "imported file `" + target + "` does not exist", written, candidates);
            return null;
        }

        private static String folderOf(String path) {
            int slash = path.lastIndexOf('/');
            return slash < 0 ? "" : path.substring(0, slash);
        }

        /** `folder` + `path`, with `.` and `..` removed; null when it is absolute or climbs out of the Program folder. */
        static String normalise(String folder, String path) {
            if (path.isEmpty() || path.startsWith("/") || path.contains("\\") || path.contains(":") || path.indexOf('\0') >= 0) return null;
            List<String> segments = new ArrayList<>();
            if (!folder.isEmpty()) segments.addAll(List.of(folder.split("/")));
            for (String s : path.split("/")) {
                if (s.isEmpty() || s.equals(".")) continue;
                if (s.equals("..")) {
                    if (segments.isEmpty()) return null;
                    segments.removeLast();
                } else segments.add(s);
            }
            return segments.isEmpty() ? null : String.join("/", segments);
        }

        /** How a file is written in an import from `folder`: `people.charter`, `../rules/a.charter`. */
        private static String relative(String folder, String target) {
            List<String> from = folder.isEmpty() ? List.of() : List.of(folder.split("/"));
            List<String> to = List.of(target.split("/"));
            int common = 0;
            while (common < from.size() && common < to.size() - 1 && from.get(common).equals(to.get(common))) common++;
            StringBuilder out = new StringBuilder();
            for (int i = common; i < from.size(); i++) out.append("../");
            out.append(String.join("/", to.subList(common, to.size())));
            return out.toString();
        }

        private String programName(String entry, List<SourceFile> files, LoadedProgram loaded) {
            Decl.ProgramDecl first = null;
            for (SourceFile f : files) {
                for (Decl d : f.decls()) {
                    if (!(d instanceof Decl.ProgramDecl p)) continue;
                    if (!f.path().equals(entry)) {
                        diagnostics.report(Diagnostic.error(Code.PROGRAM_DECL, p.span(),
                                "`program` may only be declared in the entry file " + entry));
                    } else if (first != null) {
                        diagnostics.report(Diagnostic.error(Code.PROGRAM_DECL, p.span(),
                                "the Program is already named at " + first.span() + "; declare `program` once"));
                    } else first = p;
                }
            }
            if (first == null) {
                diagnostics.report(Diagnostic.error(Code.PROGRAM_DECL, Span.at(entry, 1, 1),
                        "the entry file " + entry + " has no `program \"name\"` declaration"));
                return loaded.manifest().name();
            }
            return first.name();
        }

        // ---- symbol tables ----

        private final List<Decl.IntentDecl> intentsInOrder = new ArrayList<>();

        private void declare(Decl d) {
            switch (d) {
                case Decl.PersonDecl p -> {
                    if (unique(people.containsKey(p.name().text()) ? people.get(p.name().text()).name().span() : null, "person", p.name())) {
                        people.put(p.name().text(), p);
                    }
                }
                case Decl.TeamDecl t -> {
                    if (unique(teams.containsKey(t.name().text()) ? teams.get(t.name().text()).name().span() : null, "team", t.name())) {
                        teams.put(t.name().text(), t);
                    }
                }
                case Decl.IntentDecl i -> {
                    if (uniqueId("intent", i.name())) intents.put(i.name().text(), i);
                    intentsInOrder.add(i);
                }
                case Decl.RuleDecl r -> {
                    uniqueId("rule", r.name());
                    rules.add(r);
                }
                case Decl.InvariantDecl i -> {
                    uniqueId("invariant", i.name());
                    invariants.add(i);
                }
                case Decl.SignificanceDecl s -> significance.addAll(s.clauses());
                case Decl.TruthDecl t -> truths.add(t);
                case Decl.FunctionDecl f -> {
                    String name = f.name().text();
                    if (Builtin.byName(name).isPresent()) {
                        diagnostics.report(Diagnostic.error(Code.DUPLICATE_NAME, f.name().span(),
                                "`" + name + "` is a built-in function; give this function another name"));
                    } else if (unique(functions.containsKey(name) ? functions.get(name).name().span() : null, "function", f.name())) {
                        functions.put(name, f);
                    }
                }
                case Decl.ProgramDecl p -> { }
                case Decl.ImportDecl i -> { }
            }
        }

        private boolean unique(Span first, String what, Name name) {
            if (first == null) return true;
            diagnostics.report(Diagnostic.error(Code.DUPLICATE_NAME, name.span(),
                    what + " `" + name.text() + "` is already declared at " + first));
            return false;
        }

        private boolean uniqueId(String what, Name name) {
            Span first = ids.get(name.text());
            if (first == null) {
                ids.put(name.text(), name.span());
                return true;
            }
            diagnostics.report(Diagnostic.error(Code.DUPLICATE_NAME, name.span(), what + " `" + name.text()
                    + "` is already declared at " + first + "; rules, invariants and intents share one set of names"));
            return false;
        }

        private void checkPeople() {
            Map<String, String> owner = new HashMap<>();
            Map<String, Span> where = new HashMap<>();
            for (Decl.PersonDecl p : people.values()) {
                owner.put(key(p.name().text()), p.name().text());
                where.put(key(p.name().text()), p.name().span());
            }
            for (Decl.PersonDecl p : people.values()) {
                for (Decl.Identity id : p.identities()) {
                    String kind = id.kind().text();
                    if (!IDENTITY_KINDS.contains(kind)) {
                        report(Code.UNKNOWN_IDENTITY_KIND, id.kind().span(), "unknown identity kind `" + kind
                                + "`; a person has " + String.join(", ", IDENTITY_KINDS), kind, IDENTITY_KINDS);
                    }
                    // An identity names exactly one person: `person("alice-gh")`, `x in team t` depend on it.
                    String value = key(id.value());
                    String other = owner.get(value);
                    if (other != null && !other.equals(p.name().text())) {
                        diagnostics.report(Diagnostic.error(Code.DUPLICATE_NAME, id.span(), kind + " \"" + id.value()
                                + "\" already identifies " + other + " (" + where.get(value) + "); an identity names one person"));
                    } else if (other == null) {
                        owner.put(value, p.name().text());
                        where.put(value, id.span());
                    }
                }
            }
        }

        private void checkTeams() {
            Map<String, String> ownerOf = new HashMap<>();
            for (Decl.TeamDecl t : teams.values()) {
                Set<String> seen = new HashSet<>();
                for (Name m : t.members()) {
                    if (!people.containsKey(m.text())) {
                        report(Code.UNKNOWN_PERSON, m.span(), "unknown person `" + m.text() + "` in team " + t.name().text(),
                                m.text(), people.keySet());
                    } else if (!seen.add(m.text())) {
                        diagnostics.report(Diagnostic.warning(Code.DUPLICATE_NAME, m.span(),
                                m.text() + " is listed twice in team " + t.name().text()));
                    }
                }
                for (Decl.Owned o : t.owns()) {
                    String kind = o.kind().text();
                    if (!OWNED_KINDS.contains(kind)) {
                        report(Code.UNKNOWN_OWNED_KIND, o.kind().span(), "unknown kind of owned thing `" + kind
                                + "`; a team owns " + String.join(", ", OWNED_KINDS), kind, OWNED_KINDS);
                        continue;
                    }
                    String thing = kind + " \"" + o.value() + "\"";
                    String other = ownerOf.putIfAbsent(key(kind + ":" + o.value()), t.name().text());
                    if (other != null && !other.equals(t.name().text())) {
                        diagnostics.report(Diagnostic.error(Code.DUPLICATE_NAME, o.span(),
                                thing + " is already owned by team " + other + "; `owner(...)` needs one owner"));
                    }
                }
            }
        }

        private static String key(String s) {
            return s.toLowerCase(Locale.ROOT);
        }

        // ---- names in rules, invariants and intents ----

        private void rule(Decl.RuleDecl r) {
            Set<String> ruleBindings = new HashSet<>();
            for (Condition c : r.when()) ruleBindings.add(patternOf(c).binding().text());
            Map<String, Span> declared = new HashMap<>();
            Map<String, String> hidden = new HashMap<>();
            for (Condition c : r.when()) {
                Name b = patternOf(c).binding();
                hidden.putIfAbsent(b.text(), switch (c) {
                    case Condition.Match m -> "`" + b.text() + "` is bound later in this rule (" + b.span()
                            + "); a condition sees only the bindings before it";
                    case Condition.Absent a -> "`" + b.text() + "` is bound inside `not` (" + b.span() + ") and visible only there";
                    case Condition.Count k -> "`" + b.text() + "` is bound inside `count(...)` (" + b.span() + ") and visible only there";
                });
            }
            Scope scope = Scope.of(false).hiding(hidden);
            for (Condition c : r.when()) {
                Pattern p = patternOf(c);
                Name b = p.binding();
                Span first = declared.putIfAbsent(b.text(), b.span());
                if (first != null) {
                    diagnostics.report(Diagnostic.error(Code.DUPLICATE_NAME, b.span(),
                            "`" + b.text() + "` is already bound at " + first + " in this rule"));
                }
                pattern(p, scope, ruleBindings, first == null);
                if (c instanceof Condition.Count k) groupKeys(k);
                if (c instanceof Condition.Match) scope = scope.with(b.text(), Kind.FACT);
            }
            // A counting rule's actions see its binding as the newest counted event (of the group, with `by`).
            Scope actions = scope;
            for (Condition c : r.when()) {
                if (c instanceof Condition.Count k) actions = actions.with(k.pattern().binding().text(), Kind.FACT);
            }
            for (ActionCall a : r.then()) action(a, actions);
            if (r.approval() != null) approvalRule(r.approval(), actions);
        }

        /** `by b.field, …`: each key is a field of the counted binding `b`, named once. */
        private void groupKeys(Condition.Count k) {
            String binding = k.pattern().binding().text();
            Set<String> seen = new HashSet<>();
            for (Expr.Path key : k.groupBy()) {
                Name head = key.segments().getFirst();
                if (!head.text().equals(binding) || key.segments().size() != 2) {
                    diagnostics.report(Diagnostic.error(Code.GROUP_KEY, key.span(), "`by` groups by a field of the counted event, such as `"
                            + binding + ".issue_id`; `" + key.dotted() + "` is not one"));
                } else if (!seen.add(key.dotted())) {
                    diagnostics.report(Diagnostic.error(Code.GROUP_KEY, key.span(), "`" + key.dotted() + "` is already a key of this count"));
                }
            }
        }

        private static Pattern patternOf(Condition c) {
            return switch (c) {
                case Condition.Match m -> m.pattern();
                case Condition.Absent a -> a.pattern();
                case Condition.Count k -> k.pattern();
            };
        }

        /**
         * Checks a pattern's anchor against `outer` and its `where` with its own binding
         * added. `blockBindings` are the other bindings of the rule or invariant, to explain an anchor bound too late.
         */
        private void pattern(Pattern p, Scope outer, Set<String> blockBindings, boolean checkShadow) {
            if (p.temporal() != null) anchor(p, outer, blockBindings);
            Name b = p.binding();
            if (checkShadow && outer.names().containsKey(b.text())) {
                diagnostics.report(Diagnostic.error(Code.DUPLICATE_NAME, b.span(), outer.names().get(b.text()) == Kind.FACT
                        ? "`" + b.text() + "` is already bound; choose another name for this binding"
                        : "`" + b.text() + "` is a built-in name; choose another name for this binding"));
            }
            if (p.where() != null) expr(p.where(), outer.with(b.text(), Kind.FACT));
        }

        private void anchor(Pattern p, Scope outer, Set<String> blockBindings) {
            Name anchor = p.temporal().anchor();
            Kind kind = outer.names().get(anchor.text());
            if (kind == Kind.FACT || kind == Kind.INTENT) return;
            if (kind == Kind.NOW) {
                diagnostics.report(Diagnostic.error(Code.ANCHOR_ORDER, anchor.span(),
                        "`within ... " + direction(p) + "` needs a pattern binding, not `now`"));
            } else if (anchor.text().equals(p.binding().text()) || blockBindings.contains(anchor.text())) {
                diagnostics.report(Diagnostic.error(Code.ANCHOR_ORDER, anchor.span(), "`" + anchor.text()
                        + "` is not bound before this pattern; `within ... " + direction(p) + "` must name an earlier binding"));
            } else {
                report(Code.UNKNOWN_BINDING, anchor.span(), "unknown name `" + anchor.text() + "`", anchor.text(), outer.anchorable());
            }
        }

        private static String direction(Pattern p) {
            return p.temporal().direction() == Pattern.Direction.AFTER ? "after" : "before";
        }

        private void invariant(Decl.InvariantDecl inv) {
            switch (inv.body()) {
                case InvariantBody.DenyGuard g -> {
                    Name intent = g.intent();
                    if (!intents.containsKey(intent.text())) {
                        report(Code.UNKNOWN_INTENT, intent.span(), "unknown intent `" + intent.text() + "`", intent.text(), intents.keySet());
                    }
                    Scope scope = Scope.of(false).with(INTENT, Kind.INTENT);
                    if (g.where() != null) guardWhere(g.where(), scope);
                    if (g.unless() != null) expr(g.unless(), scope);
                    if (g.override() != null) overrideRule(inv, g.override(), scope);
                }
                case InvariantBody.StateGuard g -> {
                    Set<String> bindings = Set.of(g.every().binding().text(), g.has().binding().text());
                    Scope scope = Scope.of(false);
                    pattern(g.every(), scope, bindings, true);
                    Scope inner = scope.with(g.every().binding().text(), Kind.FACT);
                    if (g.has().binding().text().equals(g.every().binding().text())) {
                        diagnostics.report(Diagnostic.error(Code.DUPLICATE_NAME, g.has().binding().span(),
                                "`" + g.has().binding().text() + "` is already bound at " + g.every().binding().span() + " in this invariant"));
                        pattern(g.has(), inner, bindings, false);
                    } else {
                        pattern(g.has(), inner, bindings, true);
                    }
                }
            }
        }

        /** `override by ...`: only a soft denial is overridden (elsewhere the clause is a warning); its people, teams and team expressions must exist. */
        private void overrideRule(Decl.InvariantDecl inv, charter.compiler.ast.OverrideRule rule, Scope scope) {
            if (inv.level() != Decl.Level.SOFT) {
                // A warning, not an error: making a soft invariant hard for a while should not mean deleting who may override it.
                diagnostics.report(Diagnostic.warning(Code.OVERRIDE_PLACEMENT, rule.span(), "`override by` has no effect on a "
                        + inv.level().keyword() + " invariant: only a soft invariant's denial is overridden (a hard one never is, an advisory one only warns)"));
            }
            for (var who : rule.by()) approver(who, "override by", scope);
        }

        /** One entry of `override by` or `approval by` (named by {@code clause}): a declared person or team, or a team expression. */
        private void approver(charter.compiler.ast.OverrideRule.Overrider who, String clause, Scope scope) {
            switch (who) {
                case charter.compiler.ast.OverrideRule.Overrider.Anyone a -> { }
                case charter.compiler.ast.OverrideRule.Overrider.Person p -> {
                    if (!people.containsKey(p.person().text())) {
                        String hint = teams.containsKey(p.person().text()) ? " (for the team, write `team " + p.person().text() + "`)" : "";
                        report(Code.UNKNOWN_PERSON, p.span(), "unknown person `" + p.person().text() + "` in `" + clause + "`" + hint,
                                p.person().text(), people.keySet());
                    }
                }
                case charter.compiler.ast.OverrideRule.Overrider.Team t -> {
                    if (!teams.containsKey(t.team().text())) {
                        report(Code.UNKNOWN_TEAM, t.span(), "unknown team `" + t.team().text() + "` in `" + clause + "`",
                                t.team().text(), teams.keySet());
                    }
                }
                case charter.compiler.ast.OverrideRule.Overrider.TeamOf f -> expr(f.team(), scope);
            }
        }

        /**
         * The top-level `and` conditions of a deny guard in order: the binding of an `exists(P p)`
         * is visible in the `exists(...)` and `not exists(...)` that follow it (they are then checked
         * for the same `p`), and only there.
         */
        private void guardWhere(Expr where, Scope scope) {
            Scope existsScope = scope;
            Map<String, String> hidden = new HashMap<>();
            for (Expr conjunct : conjuncts(where)) {
                Pattern p = existsPattern(conjunct);
                if (p == null) {
                    expr(conjunct, scope.hiding(hidden));
                    continue;
                }
                pattern(p, existsScope, Set.of(), true);
                if (conjunct instanceof Expr.ExistsPattern) {
                    existsScope = existsScope.with(p.binding().text(), Kind.FACT);
                    hidden.put(p.binding().text(), "`" + p.binding().text() + "` is bound inside exists(...) (" + p.binding().span()
                            + ") and visible only there and in the exists(...) that follow it; move this condition into its `where`");
                }
            }
        }

        private void function(Decl.FunctionDecl f) {
            if (!f.language().text().equals("js")) {
                diagnostics.report(Diagnostic.error(Code.JS_FUNCTION, f.language().span(),
                        "unknown function language `" + f.language().text() + "`; Charter runs `function js`"));
            }
            Map<String, Span> params = new HashMap<>();
            for (Decl.Param p : f.params()) {
                String name = p.name().text();
                Span first = params.putIfAbsent(name, p.name().span());
                if (first != null) {
                    diagnostics.report(Diagnostic.error(Code.DUPLICATE_NAME, p.name().span(),
                            "parameter `" + name + "` is already declared at " + first));
                } else if (charter.compiler.js.JsValidator.RESERVED.contains(name) || name.equals(f.name().text())) {
                    diagnostics.report(Diagnostic.error(Code.DUPLICATE_NAME, p.name().span(),
                            "`" + name + "` cannot name a parameter of a JavaScript function; choose another name"));
                }
            }
        }

        private void intent(Decl.IntentDecl i) {
            Map<String, Span> params = new HashMap<>();
            for (Decl.Param p : i.params()) {
                Span first = params.putIfAbsent(p.name().text(), p.name().span());
                if (first != null) {
                    diagnostics.report(Diagnostic.error(Code.DUPLICATE_NAME, p.name().span(),
                            "parameter `" + p.name().text() + "` is already declared at " + first));
                } else if (INTENT_FIELDS.contains(p.name().text())) {
                    diagnostics.report(Diagnostic.error(Code.DUPLICATE_NAME, p.name().span(), "`intent." + p.name().text()
                            + "` is a built-in field of every intent; choose another parameter name"));
                }
            }
            Scope scope = Scope.of(false).with(INTENT, Kind.INTENT);
            for (ActionCall a : i.resolve()) action(a, scope);
            if (i.approval() != null) approvalRule(i.approval(), scope);
        }

        /** Fields every intent has besides its parameters. */
        static final List<String> INTENT_FIELDS = List.of("actor", "reason", "time", "id");

        private void action(ActionCall a, Scope scope) {
            for (ActionCall.Argument arg : a.args()) expr(arg.value(), scope);
            if (a.approval() != null) approvalRule(a.approval(), scope);
        }

        /** `approval by ...`: its people and teams must exist; `owner(...)` sees what the actions see. */
        private void approvalRule(charter.compiler.ast.ApprovalRule rule, Scope scope) {
            for (var who : rule.by()) approver(who, "approval by", scope);
        }

        private void expr(Expr e, Scope scope) {
            switch (e) {
                case Expr.StringLit s -> {
                    for (Expr.StringPart part : s.parts()) {
                        if (part instanceof Expr.StringPart.Interpolation i) expr(i.expr(), scope);
                    }
                }
                case Expr.TeamRef t -> {
                    if (!teams.containsKey(t.team().text())) {
                        report(Code.UNKNOWN_TEAM, t.team().span(), "unknown team `" + t.team().text() + "`", t.team().text(), teams.keySet());
                    }
                }
                case Expr.ListLit l -> l.items().forEach(item -> expr(item, scope));
                case Expr.Call c -> {
                    if (Builtin.byName(c.function().text()).isEmpty() && !functions.containsKey(c.function().text())) {
                        List<String> known = new ArrayList<>(Builtin.names());
                        known.addAll(functions.keySet());
                        report(Code.UNKNOWN_FUNCTION, c.function().span(), "unknown function `" + c.function().text() + "`",
                                c.function().text(), known);
                    }
                    c.args().forEach(arg -> expr(arg, scope));
                }
                case Expr.Path p -> path(p, scope);
                case Expr.Unary u -> expr(u.operand(), scope);
                case Expr.Binary b -> {
                    expr(b.left(), scope);
                    expr(b.right(), scope);
                }
                case Expr.ExistsField x -> path(x.path(), scope);
                case Expr.ExistsPattern x -> pattern(x.pattern(), scope, Set.of(), true);
                case Expr.NumberLit n -> { }
                case Expr.DurationLit d -> { }
                case Expr.BoolLit b -> { }
                case Expr.NobodyLit n -> { }
                case Expr.Skip k -> { }
            }
        }

        private void path(Expr.Path p, Scope scope) {
            Name first = p.segments().getFirst();
            if (scope.names().containsKey(first.text()) || scope.bareFields()) return;
            String why = scope.hidden().get(first.text());
            if (why != null) {
                diagnostics.report(Diagnostic.error(Code.UNKNOWN_BINDING, first.span(), why));
                return;
            }
            report(Code.UNKNOWN_BINDING, first.span(), "unknown name `" + first.text() + "`", first.text(), scope.names().keySet());
        }

        /** Reports with the closest candidate as "did you mean"; a one-letter name is too short to guess from. */
        private void report(Code code, Span span, String message, String misspelt, Collection<String> candidates) {
            Diagnostic d = Diagnostic.error(code, span, message);
            if (misspelt.length() < 2) {
                diagnostics.report(d);
                return;
            }
            diagnostics.report(Suggestions.closest(misspelt, new LinkedHashSet<>(candidates)).map(d::withSuggestion).orElse(d));
        }
    }
}
