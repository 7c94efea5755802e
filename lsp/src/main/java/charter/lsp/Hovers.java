package charter.lsp;

import charter.compiler.ast.Decl;
import charter.compiler.builtins.Builtin;
import charter.compiler.catalog.Catalog;
import charter.compiler.catalog.EntityTypeSpec;
import charter.compiler.catalog.EventTypeSpec;
import charter.compiler.catalog.FieldSpec;
import charter.compiler.catalog.ToolParam;
import charter.compiler.catalog.ToolSpec;
import charter.grammar.CharterLexer;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What a name means, in Markdown: an event type with its fields and their types from the catalog,
 * a field of a binding, a tool with its arguments, a rule's or invariant's title, a person, a
 * team, a function's signature.
 */
final class Hovers {
    /** The hover text and the token range it is about. */
    record Hover(String markdown, int start, int end) {}

    private final Catalog catalog;

    Hovers(Catalog catalog) {
        this.catalog = catalog;
    }

    Optional<Hover> at(String text, int offset, ProgramIndex index) {
        DocumentTokens tokens = new DocumentTokens(text);
        int at = tokens.at(offset);
        if (at < 0) return Optional.empty();
        List<DocumentTokens.Tok> all = tokens.all();
        DocumentTokens.Tok tok = all.get(at);
        if (!tok.isIdent()) return Optional.empty();
        return Optional.ofNullable(markdown(tokens, at, index)).map(md -> new Hover(md, tok.start(), tok.end()));
    }

    private String markdown(DocumentTokens tokens, int at, ProgramIndex index) {
        List<DocumentTokens.Tok> all = tokens.all();
        String word = all.get(at).text();
        int previous = at == 0 ? -1 : all.get(at - 1).type();
        boolean call = at + 1 < all.size() && all.get(at + 1).type() == CharterLexer.LPAREN;
        TokenChain chain = TokenChain.around(tokens, at);
        EnclosingDeclaration decl = EnclosingDeclaration.around(tokens, at, catalog);

        boolean declared = previous == CharterLexer.RULE || previous == CharterLexer.INVARIANT || previous == CharterLexer.INTENT;
        if (declared && decl.first() == at - 1) {
            return declaration(word, index);
        }
        Optional<EventTypeSpec> event = catalog.eventType(chain.whole());
        if (event.isPresent()) return event(event.get());
        if (chain.position() == 1 && decl.bindings().containsKey(chain.firstSegment())) {
            String type = decl.bindings().get(chain.firstSegment());
            return field(type, word);
        }
        if (chain.position() == 1 && chain.firstSegment().equals("intent") && decl.intent() != null) {
            Map<String, String> own = EnclosingDeclaration.ownParams(tokens, decl);
            String type = own.get(word);
            if (type == null) type = index.intentParams(decl.intent()).stream().filter(p -> p.name().text().equals(word))
                    .map(p -> p.type() == null ? "" : p.type().text()).findFirst().orElse(null);
            if (type != null) return "`intent." + word + ": " + type + "`: a parameter of intent `" + decl.intent() + "`";
            String builtin = Completions.INTENT_BUILTINS.get(word);
            return builtin == null ? null : "`intent." + word + "`: " + builtin;
        }
        Optional<ToolSpec> tool = catalog.tool(chain.whole());
        if (tool.isPresent() && chain.position() <= 1) return tool(tool.get());
        if (at + 1 < all.size() && all.get(at + 1).type() == CharterLexer.COLON) {
            ActionCallContext ctx = ActionCallContext.of(tokens, at);
            if (ctx != null) {
                Optional<ToolParam> p = catalog.tool(ctx.tool()).flatMap(t -> t.param(word));
                if (p.isPresent()) return param(ctx.tool(), p.get());
            }
        }
        if (chain.position() == 0 && chain.whole().equals(word)) {
            if (decl.bindings().containsKey(word)) return "`" + word + "`: " + bindingType(decl.bindings().get(word));
            if (call) {
                Optional<Builtin> b = Builtin.byName(word);
                if (b.isPresent()) return "`" + word + "(…)`: built-in\n\n" + b.get().doc();
                var f = index.functions().get(word);
                if (f != null) return "`" + signature(f.decl()) + "`\n\nJavaScript function in `" + f.file() + "`";
            }
            Optional<EntityTypeSpec> entity = catalog.entityType(word);
            if (entity.isPresent() && at + 1 < all.size() && all.get(at + 1).isIdent()) return entity(entity.get());
            if (previous == CharterLexer.TEAM || index.teams().containsKey(word) && previous != CharterLexer.MEMBERS
                    && !index.people().containsKey(word)) {
                var t = index.teams().get(word);
                if (t != null) return team(t.decl());
            }
            var p = index.people().get(word);
            if (p != null) return person(p.decl());
            if (previous == CharterLexer.DENY && index.intents().containsKey(word)) return declaration(word, index);
        }
        return null;
    }

    private String declaration(String name, ProgramIndex index) {
        var named = index.rulesAndInvariants().get(name);
        if (named != null) {
            return switch (named.decl()) {
                case Decl.RuleDecl r -> "**rule** `" + name + "`" + title(r.title());
                case Decl.InvariantDecl i -> "**invariant** `" + name + "` (" + i.level().keyword() + ")" + title(i.title());
                default -> null;
            };
        }
        var intent = index.intents().get(name);
        if (intent != null) {
            Decl.IntentDecl d = intent.decl();
            String params = d.params().stream().map(p -> p.name().text() + ": " + (p.type() == null ? "" : p.type().text()))
                    .collect(Collectors.joining(", "));
            return "**intent** `" + name + "(" + params + ")`" + title(d.title());
        }
        return null;
    }

    private static String title(String title) {
        return title == null || title.isEmpty() ? "" : "\n\n" + title;
    }

    private String event(EventTypeSpec e) {
        StringBuilder md = new StringBuilder("**event** `").append(e.name()).append("` (").append(e.source()).append(")\n\n");
        md.append(e.description()).append("\n\n| field | type | |\n| --- | --- | --- |\n");
        for (FieldSpec f : e.fields().values()) {
            md.append("| `").append(f.name()).append("` | ").append(f.type().displayName()).append(" | ").append(cell(f.description())).append(" |\n");
        }
        return md.toString();
    }

    private String entity(EntityTypeSpec e) {
        StringBuilder md = new StringBuilder("**entity** `").append(e.name()).append("`\n\n").append(e.description());
        md.append("\n\n| attribute | type | |\n| --- | --- | --- |\n");
        for (FieldSpec f : e.attributes().values()) {
            md.append("| `").append(f.name()).append("` | ").append(f.type().displayName()).append(" | ").append(cell(f.description())).append(" |\n");
        }
        return md.toString();
    }

    private String field(String type, String name) {
        Optional<FieldSpec> f = catalog.eventType(type).flatMap(e -> e.field(name))
                .or(() -> catalog.entityType(type).map(e -> e.attributes().get(name)));
        if (f.isEmpty()) return "`" + type + "` has no field `" + name + "`";
        return "`" + name + ": " + f.get().type().displayName() + "` of `" + type + "`" + title(f.get().description());
    }

    private String bindingType(String type) {
        String description = catalog.eventType(type).map(EventTypeSpec::description)
                .or(() -> catalog.entityType(type).map(EntityTypeSpec::description)).orElse("");
        return "`" + type + "`" + title(description);
    }

    private static String tool(ToolSpec t) {
        StringBuilder md = new StringBuilder("**tool** `").append(t.name()).append("`\n\n").append(t.description());
        md.append("\n\n| argument | type | |\n| --- | --- | --- |\n");
        for (ToolParam p : t.params()) {
            md.append("| `").append(p.name()).append("` | ").append(p.type().displayName()).append(p.required() ? ", required" : "")
                    .append(" | ").append(cell(p.description())).append(" |\n");
        }
        return md.toString();
    }

    private static String param(String tool, ToolParam p) {
        return "`" + p.name() + ": " + p.type().displayName() + "`" + (p.required() ? " (required)" : "") + ", argument of `" + tool + "`"
                + title(p.description());
    }

    private static String person(Decl.PersonDecl p) {
        StringBuilder md = new StringBuilder("**person** `").append(p.name().text()).append("`\n\n");
        for (Decl.Identity i : p.identities()) {
            if (i.kind() != null) md.append("- ").append(i.kind().text()).append(": ").append(i.value()).append('\n');
        }
        return md.toString();
    }

    private static String team(Decl.TeamDecl t) {
        String members = t.members().stream().map(m -> m.text()).collect(Collectors.joining(", "));
        String owns = t.owns().stream().map(o -> (o.kind() == null ? "" : o.kind().text()) + " " + o.value()).collect(Collectors.joining(", "));
        return "**team** `" + t.name().text() + "`" + title(t.title()) + "\n\nmembers: " + members + (owns.isEmpty() ? "" : "\n\nowns: " + owns);
    }

    static String signature(Decl.FunctionDecl f) {
        String params = f.params().stream().map(p -> p.name().text() + ": " + (p.type() == null ? "" : p.type().text()))
                .collect(Collectors.joining(", "));
        return f.name().text() + "(" + params + "): " + (f.result() == null ? "" : f.result().text());
    }

    private static String cell(String s) {
        return s.replace("|", "\\|").replace("\n", " ");
    }
}
