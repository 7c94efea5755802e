package charter.lsp;

import charter.compiler.builtins.Builtin;
import charter.compiler.catalog.Catalog;
import charter.compiler.catalog.EntityTypeSpec;
import charter.compiler.catalog.EventTypeSpec;
import charter.compiler.catalog.FieldSpec;
import charter.compiler.catalog.ToolParam;
import charter.compiler.catalog.ToolSpec;
import charter.compiler.ast.Decl;
import charter.grammar.CharterLexer;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.lsp4j.CompletionItem;
import org.eclipse.lsp4j.CompletionItemKind;
import org.eclipse.lsp4j.InsertTextFormat;

/**
 * What may be written at a place of a document: event types where a pattern starts, the fields of
 * a binding after `d.`, the parameters of an intent after `intent.`, tools and their arguments in
 * an action, people in `members`, teams after `team`, the Program's functions and the built-ins
 * in expressions, and the declaration keywords at the top level. Read from the tokens before the
 * cursor, so a half-typed rule gets the same help as a finished one.
 */
final class Completions {
    /** The fields every intent has besides its parameters. */
    static final Map<String, String> INTENT_BUILTINS = Map.of("actor", "who sent the intent (a person or an agent id)",
            "reason", "the reason given with the intent", "time", "when the intent was sent", "id", "the intent's id");
    private static final List<String> DECLARATIONS = List.of("rule", "invariant", "intent", "person", "team", "function",
            "import", "significance", "truth", "program");
    /** The identities a `person` block may give, and the things a team may own (the language reference's lists). */
    private static final List<String> IDENTITY_KINDS = List.of("name", "github", "linear", "vercel", "sentry", "email", "slack");
    private static final List<String> OWNED_KINDS = List.of("repo", "project", "service", "linear_team", "sentry_project");
    private static final List<String> EXPRESSION_KEYWORDS = List.of("and", "or", "not", "in", "matches", "exists", "within",
            "after", "before", "true", "false", "nobody", "team", "where", "then", "unless", "because");

    private final Catalog catalog;

    Completions(Catalog catalog) {
        this.catalog = catalog;
    }

    List<CompletionItem> at(String text, int offset, ProgramIndex index) {
        DocumentTokens tokens = new DocumentTokens(text);
        List<DocumentTokens.Tok> all = tokens.all();
        // The word being typed is not context: `d.ta|` completes after `d.`.
        int before = tokens.countBefore(offset);
        if (before > 0 && all.get(before - 1).isIdent() && all.get(before - 1).end() == offset) before--;
        int inside = tokens.at(offset);
        if (inside >= 0 && all.get(inside).start() < offset && offset < all.get(inside).end()
                && (all.get(inside).type() == CharterLexer.STRING || all.get(inside).type() == CharterLexer.JS_BODY)) {
            return List.of();   // inside a string or a JavaScript body
        }
        EnclosingDeclaration decl = EnclosingDeclaration.around(tokens, before, catalog);
        int last = before == 0 ? -1 : all.get(before - 1).type();

        if (last == CharterLexer.DOT && before >= 2) {
            DocumentTokens.Dotted path = tokens.dottedEndingAt(before - 2);
            return afterDot(path.name(), decl, tokens, index);
        }
        // `approval by ` in a rule's or intent's header (outside its braces) or after an action.
        if (last == CharterLexer.BY && before >= 2 && all.get(before - 2).type() == CharterLexer.APPROVAL
                || last == CharterLexer.COMMA && inApproval(all, before)) {
            List<CompletionItem> items = new ArrayList<>(people(index));
            items.add(keyword("team", "any member of a team"));
            items.add(keyword("owner", "the team that owns a repo or project of these facts, when the action is planned"));
            return items;
        }
        if (decl.keyword() == -1 || depthAt(all, before) == 0 && decl.keyword() != CharterLexer.TRUTH) {
            if (last == CharterLexer.FUNCTION) return List.of(keyword("js", "JavaScript function"));
            return declarationKeywords();
        }
        ActionCallContext call = ActionCallContext.of(tokens, before);
        if (call != null && catalog.tool(call.tool()).isPresent()) {
            ToolSpec tool = catalog.tool(call.tool()).get();
            if (call.atName()) return toolArguments(tool, call.given());
            if (call.argument() != null) {
                List<CompletionItem> values = argumentValues(tool, call.argument(), index);
                if (!values.isEmpty() && last == CharterLexer.COLON) return values;
                List<CompletionItem> items = new ArrayList<>(values);
                items.addAll(expression(decl, tokens, index));
                return items;
            }
        }
        if (decl.keyword() == CharterLexer.PERSON && (last == CharterLexer.LBRACE || last == CharterLexer.STRING)) {
            return words(IDENTITY_KINDS, CompletionItemKind.Property, "identity");
        }
        if (decl.keyword() == CharterLexer.TEAM && (last == CharterLexer.OWNS || last == CharterLexer.COMMA && inOwns(all, before))) {
            return words(OWNED_KINDS, CompletionItemKind.Property, "owned kind");
        }
        if (decl.keyword() == CharterLexer.TEAM && (last == CharterLexer.LBRACE || last == CharterLexer.STRING || last == CharterLexer.IDENT)) {
            return words(List.of("members", "owns"), CompletionItemKind.Keyword, "team");
        }
        if (last == CharterLexer.TEAM) return teams(index);
        if (last == CharterLexer.MEMBERS || last == CharterLexer.COMMA && inMembers(all, before)) return people(index);
        if (last == CharterLexer.DENY) return intents(index);
        if (last == CharterLexer.RPAREN && inActions(all, before, decl)) {
            List<CompletionItem> items = new ArrayList<>(tools());
            items.add(keyword("approval by", "this action waits until one of the approvers named next approves it"));
            return items;
        }
        if (last == CharterLexer.THEN || last == CharterLexer.RESOLVE) {
            return tools();
        }
        if (last == CharterLexer.WHEN || last == CharterLexer.NOT && decl.keyword() == CharterLexer.RULE || last == CharterLexer.EVERY
                || last == CharterLexer.HAS || last == CharterLexer.LPAREN && before >= 2
                && (all.get(before - 2).type() == CharterLexer.COUNT || all.get(before - 2).type() == CharterLexer.EXISTS)
                || decl.keyword() == CharterLexer.SIGNIFICANCE && (last == CharterLexer.LBRACE || last == CharterLexer.NUMBER)) {
            return eventTypes("");
        }
        List<CompletionItem> items = new ArrayList<>();
        if (last == CharterLexer.AND && decl.keyword() == CharterLexer.RULE && inWhenTopLevel(all, decl, before)) items.addAll(eventTypes(""));
        if (decl.keyword() == CharterLexer.SIGNIFICANCE) items.addAll(significanceFields(tokens, before));
        items.addAll(expression(decl, tokens, index));
        return items;
    }

    private List<CompletionItem> afterDot(String path, EnclosingDeclaration decl, DocumentTokens tokens, ProgramIndex index) {
        if (decl.bindings().containsKey(path)) return fields(decl.bindings().get(path));
        if (path.equals("intent") && decl.intent() != null) {
            List<CompletionItem> items = new ArrayList<>();
            Map<String, String> own = EnclosingDeclaration.ownParams(tokens, decl);
            if (!own.isEmpty()) own.forEach((name, type) -> items.add(item(name, CompletionItemKind.Field, type, "a parameter of `" + decl.intent() + "`")));
            else for (Decl.Param p : index.intentParams(decl.intent())) {
                items.add(item(p.name().text(), CompletionItemKind.Field, p.type() == null ? "" : p.type().text(), "a parameter of `" + decl.intent() + "`"));
            }
            INTENT_BUILTINS.forEach((name, doc) -> items.add(item(name, CompletionItemKind.Field, "every intent", doc)));
            return items;
        }
        List<CompletionItem> items = new ArrayList<>(eventTypes(path));
        for (ToolSpec tool : catalog.tools()) {
            if (tool.name().startsWith(path + ".")) {
                CompletionItem item = item(tool.name().substring(path.length() + 1), CompletionItemKind.Method, tool.name(), tool.description());
                items.add(item);
            }
        }
        return items;
    }

    /** Event types under a dotted prefix ("" for all): the rest of the name is what is inserted. */
    private List<CompletionItem> eventTypes(String prefix) {
        List<CompletionItem> items = new ArrayList<>();
        String start = prefix.isEmpty() ? "" : prefix + ".";
        for (EventTypeSpec e : catalog.eventTypes()) {
            if (!e.name().startsWith(start)) continue;
            items.add(item(e.name().substring(start.length()), CompletionItemKind.Event, "event type", e.description()));
        }
        if (prefix.isEmpty()) {
            for (EntityTypeSpec e : catalog.entityTypes()) items.add(item(e.name(), CompletionItemKind.Class, "entity type", e.description()));
        }
        return items;
    }

    private List<CompletionItem> fields(String type) {
        List<CompletionItem> items = new ArrayList<>();
        Map<String, FieldSpec> fields = catalog.eventType(type).map(EventTypeSpec::fields)
                .or(() -> catalog.entityType(type).map(EntityTypeSpec::attributes)).orElse(Map.of());
        fields.values().forEach(f -> items.add(item(f.name(), CompletionItemKind.Field, f.type().displayName(), f.description())));
        return items;
    }

    private List<CompletionItem> significanceFields(DocumentTokens tokens, int before) {
        List<DocumentTokens.Tok> all = tokens.all();
        for (int i = before - 1; i >= 1; i--) {
            if (all.get(i).type() == CharterLexer.WHERE) return fields(tokens.dottedEndingAt(i - 1).name());
            if (all.get(i).type() == CharterLexer.ARROW || all.get(i).type() == CharterLexer.LBRACE) break;
        }
        return List.of();
    }

    private List<CompletionItem> tools() {
        List<CompletionItem> items = new ArrayList<>();
        for (ToolSpec tool : catalog.tools()) {
            CompletionItem item = item(tool.name(), CompletionItemKind.Method, "tool", tool.description());
            // The required arguments as placeholders: `slack.post(channel: $1, text: $2)`.
            StringBuilder snippet = new StringBuilder(tool.name()).append('(');
            List<ToolParam> required = tool.requiredParams();
            for (int i = 0; i < required.size(); i++) {
                snippet.append(i == 0 ? "" : ", ").append(required.get(i).name()).append(": $").append(i + 1);
            }
            item.setInsertText(snippet.append(")$0").toString());
            item.setInsertTextFormat(InsertTextFormat.Snippet);
            items.add(item);
        }
        return items;
    }

    private static List<CompletionItem> toolArguments(ToolSpec tool, Set<String> given) {
        List<CompletionItem> items = new ArrayList<>();
        for (ToolParam p : tool.params()) {
            if (given.contains(p.name())) continue;
            String type = p.type().displayName() + (p.required() ? ", required" : "");
            CompletionItem item = item(p.name(), CompletionItemKind.Property, type, p.description());
            item.setInsertText(p.name() + ": ");
            // Required arguments first.
            item.setSortText((p.required() ? "0" : "1") + p.name());
            items.add(item);
        }
        return items;
    }

    /** People for a `person` argument, teams for a `team` one (as `team x`). */
    private static List<CompletionItem> argumentValues(ToolSpec tool, String argument, ProgramIndex index) {
        ToolParam param = tool.param(argument).orElse(null);
        if (param == null) return List.of();
        List<CompletionItem> items = new ArrayList<>();
        switch (param.type()) {
            case PERSON -> index.people().keySet().forEach(p -> {
                CompletionItem item = item("\"" + p + "\"", CompletionItemKind.Value, "person", personDetail(index, p));
                item.setFilterText(p);
                items.add(item);
            });
            case TEAM -> index.teams().forEach((t, d) -> {
                CompletionItem item = item("team " + t, CompletionItemKind.Module, "team", d.decl().title());
                item.setFilterText(t);
                items.add(item);
            });
            default -> { }
        }
        return items;
    }

    private List<CompletionItem> expression(EnclosingDeclaration decl, DocumentTokens tokens, ProgramIndex index) {
        List<CompletionItem> items = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        decl.bindings().forEach((name, type) -> {
            if (seen.add(name)) items.add(item(name, CompletionItemKind.Variable, type, "bound by the pattern on " + type));
        });
        if (decl.intent() != null && seen.add("intent")) items.add(item("intent", CompletionItemKind.Variable, decl.intent(), "the intent being decided"));
        if (seen.add("now")) items.add(item("now", CompletionItemKind.Constant, "time", "the time of the event (or intent) being decided, never the wall clock"));
        for (Builtin b : Builtin.values()) {
            if (!seen.add(b.fnName())) continue;
            CompletionItem item = item(b.fnName(), CompletionItemKind.Function, "built-in", b.doc());
            item.setInsertText(b.fnName() + "($1)");
            item.setInsertTextFormat(InsertTextFormat.Snippet);
            items.add(item);
        }
        index.functions().forEach((name, d) -> {
            if (!seen.add(name)) return;
            CompletionItem item = item(name, CompletionItemKind.Function, Hovers.signature(d.decl()), "JavaScript function in " + d.file());
            item.setInsertText(name + "($1)");
            item.setInsertTextFormat(InsertTextFormat.Snippet);
            items.add(item);
        });
        for (String k : EXPRESSION_KEYWORDS) if (seen.add(k)) items.add(keyword(k, "keyword"));
        return items;
    }

    private static List<CompletionItem> teams(ProgramIndex index) {
        List<CompletionItem> items = new ArrayList<>();
        index.teams().forEach((name, d) -> items.add(item(name, CompletionItemKind.Module, "team", d.decl().title())));
        return items;
    }

    private static List<CompletionItem> people(ProgramIndex index) {
        List<CompletionItem> items = new ArrayList<>();
        index.people().keySet().forEach(p -> items.add(item(p, CompletionItemKind.Value, "person", personDetail(index, p))));
        return items;
    }

    private static List<CompletionItem> intents(ProgramIndex index) {
        List<CompletionItem> items = new ArrayList<>();
        index.intents().forEach((name, d) -> items.add(item(name, CompletionItemKind.Interface, "intent", d.decl().title())));
        return items;
    }

    private static List<CompletionItem> declarationKeywords() {
        List<CompletionItem> items = new ArrayList<>();
        for (String k : DECLARATIONS) items.add(keyword(k, "declaration"));
        return items;
    }

    private static String personDetail(ProgramIndex index, String person) {
        var d = index.people().get(person);
        if (d == null) return "";
        return d.decl().identities().stream().filter(i -> i.kind() != null && "name".equals(i.kind().text()))
                .map(Decl.Identity::value).findFirst().orElse("");
    }

    private static List<CompletionItem> words(List<String> words, CompletionItemKind kind, String detail) {
        return words.stream().map(w -> item(w, kind, detail, null)).toList();
    }

    /** Whether a `,` continues an `owns` list: `owns repo "acme/api", |`. */
    private static boolean inOwns(List<DocumentTokens.Tok> all, int before) {
        for (int i = before - 1; i >= 0; i--) {
            int type = all.get(i).type();
            if (type == CharterLexer.OWNS) return true;
            if (type != CharterLexer.COMMA && type != CharterLexer.STRING && !all.get(i).isIdent()) return false;
        }
        return false;
    }

    private static boolean inMembers(List<DocumentTokens.Tok> all, int before) {
        for (int i = before - 1; i >= 0; i--) {
            int type = all.get(i).type();
            if (type == CharterLexer.MEMBERS) return true;
            if (type != CharterLexer.COMMA && !all.get(i).isIdent()) return false;
        }
        return false;
    }

    /** After the `)` of an action, in a `then` or `resolve` list, another action may follow. */
    private static boolean inActions(List<DocumentTokens.Tok> all, int before, EnclosingDeclaration decl) {
        int depth = 0;
        for (int i = before - 1; i > decl.first(); i--) {
            int type = all.get(i).type();
            if (type == CharterLexer.RPAREN || type == CharterLexer.RBRACK) depth++;
            else if (type == CharterLexer.LPAREN || type == CharterLexer.LBRACK) depth--;
            else if (depth == 0 && (type == CharterLexer.THEN || type == CharterLexer.RESOLVE)) return true;
            else if (depth == 0 && (type == CharterLexer.WHEN || type == CharterLexer.WHERE)) return false;
        }
        return false;
    }

    /** Whether an `and` joins conditions of the `when` (not two comparisons of a `where`): no `where` since the last pattern start. */
    private static boolean inWhenTopLevel(List<DocumentTokens.Tok> all, EnclosingDeclaration decl, int before) {
        for (int i = before - 2; i > decl.first(); i--) {
            int type = all.get(i).type();
            if (type == CharterLexer.WHERE) return false;
            if (type == CharterLexer.WHEN) return true;
        }
        return false;
    }

    private static int depthAt(List<DocumentTokens.Tok> all, int before) {
        int depth = 0;
        for (int i = 0; i < before; i++) {
            if (all.get(i).type() == CharterLexer.LBRACE) depth++;
            else if (all.get(i).type() == CharterLexer.RBRACE) depth = Math.max(0, depth - 1);
        }
        return depth;
    }

    /** Whether the comma at {@code before - 1} separates approvers of an `approval by` (none of its tokens is a brace). */
    private static boolean inApproval(List<DocumentTokens.Tok> all, int before) {
        for (int i = before - 2; i >= 1; i--) {
            int type = all.get(i).type();
            if (type == CharterLexer.BY) return all.get(i - 1).type() == CharterLexer.APPROVAL;
            if (type == CharterLexer.LBRACE || type == CharterLexer.RBRACE || type == CharterLexer.THEN || type == CharterLexer.RESOLVE) return false;
        }
        return false;
    }

    private static CompletionItem keyword(String word, String detail) {
        return item(word, CompletionItemKind.Keyword, detail, null);
    }

    static CompletionItem item(String label, CompletionItemKind kind, String detail, String documentation) {
        CompletionItem item = new CompletionItem(label);
        item.setKind(kind);
        if (detail != null && !detail.isEmpty()) item.setDetail(detail);
        if (documentation != null && !documentation.isEmpty()) item.setDocumentation(documentation);
        return item;
    }
}
