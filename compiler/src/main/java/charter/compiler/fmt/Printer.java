package charter.compiler.fmt;

import static charter.compiler.fmt.ExprPrinter.expr;
import static charter.compiler.fmt.ExprPrinter.pattern;
import static charter.compiler.fmt.ExprPrinter.quote;

import charter.compiler.ast.ActionCall;
import charter.compiler.ast.Condition;
import charter.compiler.ast.Decl;
import charter.compiler.ast.Expr;
import charter.compiler.ast.InvariantBody;
import charter.compiler.ast.Name;
import charter.compiler.ast.Pattern;
import charter.compiler.ast.SourceFile;
import charter.compiler.ast.Span;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Prints one file, line by line, in source order. Comments wait in a queue sorted
 * by position; before each line the comments that start before the end of the
 * line's content are printed on their own lines (leading), and after it the
 * comments that follow it on the same source line with no code in between are
 * appended (trailing). Every comment leaves the queue exactly once, and whatever
 * is left at the end is printed at the end of the file, so none is lost or doubled.
 */
final class Printer {
    static final int WIDTH = ProgramFormatter.WIDTH;
    private static final int INDENT = 2;

    /** A comment with its start and the source line it ends on. */
    private record Note(String text, Pos start, int endLine) {}

    private final List<String> lines = new ArrayList<>();
    private final List<Note> notes = new ArrayList<>();
    private final NodeStarts nodes;
    private int nextNote;
    private StringBuilder current;
    /** Source line where the last top-level item printed ended, or 0 at the start of the file. */
    private int previousEnd;

    Printer(SourceFile file) {
        for (SourceFile.Comment c : file.comments()) {
            String text = c.text().startsWith("/*") ? c.text() : c.text().stripTrailing();
            int endLine = c.span().line() + (int) c.text().chars().filter(ch -> ch == '\n').count();
            notes.add(new Note(text, Pos.start(c.span()), endLine));
        }
        notes.sort(Comparator.comparing(Note::start));
        nodes = new NodeStarts(file.decls());
    }

    String print(List<Decl> decls) {
        Decl previous = null;
        for (Decl decl : decls) {
            boolean importGroup = previous instanceof Decl.ImportDecl && decl instanceof Decl.ImportDecl;
            if (previous != null && !importGroup) blank();
            if (topLevelComments(Pos.start(decl.span()))) gapBefore(decl.span().line());
            declaration(decl);
            previousEnd = decl.span().endLine();
            previous = decl;
        }
        topLevelComments(new Pos(Integer.MAX_VALUE, Integer.MAX_VALUE));
        if (lines.isEmpty()) return "";
        return String.join("\n", lines) + "\n";
    }

    // ---- declarations -------------------------------------------------------------------------

    private void declaration(Decl decl) {
        switch (decl) {
            case Decl.ProgramDecl p -> single(p.span(), "program " + quote(p.name()));
            case Decl.ImportDecl i -> single(i.span(), "import " + quote(i.path()));
            case Decl.TruthDecl t -> {
                StringBuilder line = new StringBuilder("truth ").append(t.entity().text()).append('.').append(t.attribute().text());
                for (int k = 0; k < t.preference().size(); k++) {
                    line.append(k == 0 ? " prefer " : " over ").append(t.preference().get(k).text());
                }
                single(t.span(), line.toString());
            }
            case Decl.PersonDecl p -> person(p);
            case Decl.TeamDecl t -> team(t);
            case Decl.SignificanceDecl s -> significance(s);
            case Decl.RuleDecl r -> rule(r);
            case Decl.InvariantDecl i -> invariant(i);
            case Decl.IntentDecl i -> intent(i);
            case Decl.FunctionDecl f -> function(f);
        }
    }

    private void single(Span span, String text) {
        line(0, text, end(span));
    }

    private void person(Decl.PersonDecl p) {
        if (!header("person " + p.name().text(), p.name(), p.identities().isEmpty(), p.span())) return;
        for (Decl.Identity id : p.identities()) line(INDENT, id.kind().text() + " " + quote(id.value()), end(id.span()));
        close(p.span());
    }

    private void team(Decl.TeamDecl t) {
        String head = "team " + t.name().text() + (t.title() == null ? "" : " " + quote(t.title()));
        if (!header(head, t.name(), t.members().isEmpty() && t.owns().isEmpty(), t.span())) return;
        // The AST keeps members and owned things apart; print them in the order they were written,
        // one group per run of the same keyword.
        List<Item> items = new ArrayList<>();
        t.members().forEach(m -> items.add(new Item("members", m.text(), m.span())));
        t.owns().forEach(o -> items.add(new Item("owns", o.kind().text() + " " + quote(o.value()), o.span())));
        items.sort(Comparator.comparing(item -> start(item.span())));
        int runStart = 0;
        for (int i = 1; i <= items.size(); i++) {
            if (i == items.size() || !items.get(i).keyword().equals(items.get(runStart).keyword())) {
                group(items.get(runStart).keyword(), items.subList(runStart, i));
                runStart = i;
            }
        }
        close(t.span());
    }

    private record Item(String keyword, String text, Span span) {}

    /**
     * `members a, b, c` filled up to the width, repeating the keyword on each line
     * (the AST keeps one list, so the lines mean the same); one item per line when a
     * comment lies between two items, so that it stays next to its item.
     */
    private void group(String keyword, List<Item> items) {
        if (items.isEmpty()) return;
        boolean commentBetween = false;
        for (int i = 0; i + 1 < items.size(); i++) {
            commentBetween |= hasCommentIn(end(items.get(i).span()), start(items.get(i + 1).span()));
        }
        // A comment inside one item moves before the line either way; only one between items splits the group.
        if (commentBetween) {
            for (Item item : items) line(INDENT, keyword + " " + item.text(), end(item.span()));
            return;
        }
        StringBuilder text = new StringBuilder(keyword).append(' ').append(items.getFirst().text());
        for (int i = 1; i < items.size(); i++) {
            Item item = items.get(i);
            if (INDENT + text.length() + 2 + item.text().length() <= WIDTH) {
                text.append(", ").append(item.text());
            } else {
                line(INDENT, text.toString(), end(items.get(i - 1).span()));
                text = new StringBuilder(keyword).append(' ').append(item.text());
            }
        }
        line(INDENT, text.toString(), end(items.getLast().span()));
    }

    private void significance(Decl.SignificanceDecl s) {
        Pos keywordEnd = new Pos(s.span().line(), s.span().column() + "significance".length());
        if (!header("significance", keywordEnd, s.clauses().isEmpty(), s.span())) return;
        for (Decl.SignificanceClause c : s.clauses()) {
            String where = c.where() == null ? "" : " where " + expr(c.where());
            line(INDENT, c.type().name() + where + " => " + c.score(), end(c.span()));
        }
        close(s.span());
    }

    private void rule(Decl.RuleDecl r) {
        String head = "rule " + r.name().text() + (r.title() == null ? "" : " " + quote(r.title()))
                + (r.approval() == null ? "" : " " + Canonical.approval(r.approval()));
        header(head, r.approval() == null ? end(r.name().span()) : end(r.approval().span()), false, r.span());
        for (int i = 0; i < r.when().size(); i++) {
            Condition c = r.when().get(i);
            int indent = i == 0 ? INDENT : 2 * INDENT;
            String keyword = i == 0 ? "when " : "and ";
            switch (c) {
                case Condition.Match m -> patternLines(indent, keyword, m.pattern(), c.span());
                case Condition.Absent a -> patternLines(indent, keyword + "not ", a.pattern(), c.span());
                case Condition.Count k -> line(indent, keyword + condition(k), end(c.span()));
            }
        }
        actions("then ", r.then());
        close(r.span());
    }

    private static String condition(Condition c) {
        return Canonical.condition(c);
    }

    private void invariant(Decl.InvariantDecl inv) {
        String head = "invariant " + inv.name().text() + (inv.title() == null ? "" : " " + quote(inv.title()))
                + " " + inv.level().keyword();
        header(head, inv.name(), false, inv.span());
        switch (inv.body()) {
            case InvariantBody.DenyGuard d -> {
                if (d.where() == null) {
                    line(INDENT, "deny " + d.intent().text(), end(d.intent().span()));
                } else {
                    conjuncts(INDENT, "deny " + d.intent().text() + " where ", d.where(), 2 * INDENT);
                }
                if (d.unless() != null) line(2 * INDENT, "unless " + expr(d.unless()), end(d.unless().span()));
            }
            case InvariantBody.StateGuard s -> {
                patternLines(INDENT, "every ", s.every(), s.every().span());
                patternLines(2 * INDENT, "has ", s.has(), s.has().span());
            }
        }
        line(2 * INDENT, "because " + quote(inv.body().because()), end(inv.body().span()));
        if (inv.body() instanceof InvariantBody.DenyGuard d && d.override() != null) {
            line(2 * INDENT, Canonical.override(d.override()), end(d.override().span()));
        }
        close(inv.span());
    }

    private void intent(Decl.IntentDecl i) {
        List<String> params = i.params().stream().map(p -> p.name().text() + ": " + p.type().text()).toList();
        Pos headerEnd = i.approval() != null ? end(i.approval().span())
                : i.params().isEmpty() ? end(i.name().span()) : end(i.params().getLast().span());
        boolean empty = i.resolve().isEmpty() && !bodyHasComment(headerEnd, end(i.span()));
        String tail = ")" + (i.title() == null ? "" : " " + quote(i.title()))
                + (i.approval() == null ? "" : " " + Canonical.approval(i.approval())) + (empty ? " {}" : " {");
        String flat = "intent " + i.name().text() + "(" + String.join(", ", params) + tail;
        boolean broken = !params.isEmpty()
                && (flat.length() > WIDTH || hasCommentIn(end(i.name().span()), headerEnd));
        if (!broken) {
            line(0, flat, headerEnd);
        } else {
            line(0, "intent " + i.name().text() + "(", end(i.name().span()));
            for (int k = 0; k < params.size(); k++) {
                // The grammar allows no comma after the last parameter.
                line(INDENT, params.get(k) + (k + 1 < params.size() ? "," : ""), end(i.params().get(k).span()));
            }
            line(0, tail, headerEnd);
        }
        if (empty) return;
        actions("resolve ", i.resolve());
        close(i.span());
    }

    /**
     * `function js name(a: t, b: t): result { ... }`: the header canonical, the body
     * (one token, braces included) exactly as written, whatever its layout. Comments
     * inside the header move before it; a comment after the closing brace trails it.
     */
    private void function(Decl.FunctionDecl f) {
        List<String> params = f.params().stream().map(p -> p.name().text() + ": " + p.type().text()).toList();
        String head = "function " + f.language().text() + " " + f.name().text() + "(" + String.join(", ", params) + "): "
                + f.result().text() + " ";
        leading(0, start(f.bodySpan()));
        line(0, head + f.body(), end(f.bodySpan()));
    }

    /**
     * Prints `keyword {` (or `keyword {}` for an empty block without comments) and
     * returns whether the block has a body to print and close.
     */
    private boolean header(String head, Name name, boolean noItems, Span block) {
        return header(head, end(name.span()), noItems, block);
    }

    private boolean header(String head, Pos headEnd, boolean noItems, Span block) {
        boolean empty = noItems && !bodyHasComment(headEnd, end(block));
        line(0, head + (empty ? " {}" : " {"), headEnd);
        return !empty;
    }

    /** Comments after the last item of a block go before its closing brace, at the items' indentation. */
    private void close(Span block) {
        leading(INDENT, end(block));
        line(0, "}", end(block));
    }

    // ---- actions and their arguments ----------------------------------------------------------

    /**
     * The first action follows `then ` or `resolve `; the others start on their own lines in
     * the same column as the first, so the actions of a rule read as one list.
     */
    private void actions(String keyword, List<ActionCall> actions) {
        int column = INDENT + keyword.length();
        for (int i = 0; i < actions.size(); i++) {
            if (i == 0) action(actions.get(i), INDENT, keyword, column);
            else action(actions.get(i), column, "", column);
        }
    }

    /**
     * A pattern after `keyword` on one line when it fits; otherwise its type and binding,
     * then its `where` on the next line broken at top-level `and`s as needed, and its window
     * after the condition when it still fits there, else on a line of its own.
     */
    private void patternLines(int indent, String keyword, Pattern p, Span span) {
        String flat = keyword + pattern(p);
        if (indent + flat.length() <= WIDTH) {
            line(indent, flat, end(span));
            return;
        }
        String window = p.temporal() == null ? null : "within " + p.temporal().window().text()
                + (p.temporal().direction() == Pattern.Direction.AFTER ? " after " : " before ") + p.temporal().anchor().text();
        Pos headEnd = end(p.binding().span());
        if (p.where() == null) {
            // Nothing to break: a type name too long for the line stays on it alone.
            line(indent, keyword + p.type().name() + " " + p.binding().text(), window == null ? end(span) : headEnd);
            if (window != null) line(indent + INDENT, window, end(span));
            return;
        }
        line(indent, keyword + p.type().name() + " " + p.binding().text(), headEnd);
        List<Conjuncts.Line> lines = Conjuncts.layout("where ", p.where(), indent + INDENT, indent + 2 * INDENT, WIDTH);
        for (int i = 0; i < lines.size(); i++) {
            Conjuncts.Line l = lines.get(i);
            boolean last = i + 1 == lines.size();
            if (last && window != null && l.indent() + l.text().length() + 1 + window.length() <= WIDTH) {
                line(l.indent(), l.text() + " " + window, end(span));
                return;
            }
            line(l.indent(), l.text(), last && window == null ? end(span) : end(l.last().span()));
        }
        if (window != null) line(indent + INDENT, window, end(span));
    }

    /** `head` and a condition, broken at its top-level `and`s (or `or`s) when over the width. */
    private void conjuncts(int indent, String head, Expr condition, int nextIndent) {
        List<Conjuncts.Line> lines = Conjuncts.layout(head, condition, indent, nextIndent, WIDTH);
        for (int i = 0; i < lines.size(); i++) {
            Conjuncts.Line l = lines.get(i);
            line(l.indent(), l.text(), i + 1 == lines.size() ? end(condition.span()) : end(l.last().span()));
        }
    }

    /** `prefix` (the keyword of the first action) is printed at `indent`; the action itself starts at `column`. */
    private void action(ActionCall a, int indent, String prefix, int column) {
        String name = a.tool().text() + "." + a.verb().text();
        String approval = a.approval() == null ? "" : " " + Canonical.approval(a.approval());
        String flat = name + "(" + String.join(", ", a.args().stream().map(x -> x.name().text() + ": " + expr(x.value())).toList()) + ")"
                + approval;
        // Comments inside `tool.verb` move before the line either way; only those inside the parentheses break it.
        if (indent + prefix.length() + flat.length() <= WIDTH && !hasCommentIn(end(a.verb().span()), end(a.span()))) {
            line(indent, prefix + flat, end(a.span()));
            return;
        }
        leading(indent, end(a.verb().span()));
        open(indent);
        append(prefix + name + "(");
        endLine(end(a.verb().span()));
        for (ActionCall.Argument arg : a.args()) {
            value(arg.value(), column + INDENT, arg.name().text() + ": ", ",", end(arg.span()));
        }
        leading(column + INDENT, end(a.span()));
        line(column, ")" + approval, end(a.span()));
    }

    /**
     * One line `head value suffix`, or, when the value is a non-empty list or call that
     * does not fit or holds a comment, the value broken one item per line.
     */
    private void value(Expr v, int indent, String head, String suffix, Pos lineEnd) {
        String flat = expr(v);
        boolean breakable = v instanceof Expr.ListLit l && !l.items().isEmpty() || v instanceof Expr.Call c && !c.args().isEmpty();
        if (!breakable) {
            line(indent, head + flat + suffix, lineEnd);
            return;
        }
        boolean list = v instanceof Expr.ListLit;
        Pos opened = list ? new Pos(v.span().line(), v.span().column() + 1) : end(((Expr.Call) v).function().span());
        boolean fits = indent + head.length() + flat.length() + suffix.length() <= WIDTH;
        if (fits && !hasCommentIn(opened, end(v.span()))) {
            line(indent, head + flat + suffix, lineEnd);
            return;
        }
        leading(indent, opened);
        open(indent);
        List<Expr> items;
        if (v instanceof Expr.ListLit l) {
            append(head + "[");
            items = l.items();
        } else {
            Expr.Call c = (Expr.Call) v;
            append(head + c.function().text() + "(");
            items = c.args();
        }
        endLine(opened);
        for (int i = 0; i < items.size(); i++) {
            // A list may end with a comma; a call's arguments may not.
            String comma = list || i + 1 < items.size() ? "," : "";
            value(items.get(i), indent + INDENT, "", comma, end(items.get(i).span()));
        }
        leading(indent + INDENT, end(v.span()));
        line(indent, (list ? "]" : ")") + suffix, lineEnd);
    }

    // ---- lines and comments -------------------------------------------------------------------

    /** A whole line whose content ends at `contentEnd` in the source, with its leading and trailing comments. */
    private void line(int indent, String text, Pos contentEnd) {
        leading(indent, contentEnd);
        open(indent);
        append(text);
        endLine(contentEnd);
    }

    private boolean hasCommentIn(Pos from, Pos to) {
        for (int i = nextNote; i < notes.size(); i++) {
            Pos s = notes.get(i).start();
            if (!s.before(to)) return false;
            if (!s.before(from)) return true;
        }
        return false;
    }

    /** Prints every waiting comment that starts before `to`, each on its own line(s). */
    private void leading(int indent, Pos to) {
        while (nextNote < notes.size() && notes.get(nextNote).start().before(to)) {
            open(indent);
            append(notes.get(nextNote++).text());
            finish();
        }
    }

    private void open(int indent) {
        if (current != null) throw new IllegalStateException("line already open");
        current = new StringBuilder(" ".repeat(indent));
    }

    private void append(String text) {
        current.append(text);
    }

    /**
     * Ends the open line whose code ends at `contentEnd`, appending the comments that
     * follow it on the same source line with no code in between. Nothing can follow a
     * line comment on its line, so one ends the list.
     */
    private void endLine(Pos contentEnd) {
        while (nextNote < notes.size()) {
            Note n = notes.get(nextNote);
            if (!trails(n, contentEnd)) break;
            current.append(' ').append(n.text());
            nextNote++;
            if (!n.text().startsWith("/*")) break;
        }
        finish();
    }

    private boolean trails(Note n, Pos contentEnd) {
        return !n.start().before(contentEnd) && n.start().line() == contentEnd.line() && !nodes.anyIn(contentEnd, n.start());
    }

    /**
     * Whether a block whose header ends at `headEnd` holds a comment of its own, that is
     * one that will neither go before the header nor trail the header's line.
     */
    private boolean bodyHasComment(Pos headEnd, Pos blockEnd) {
        int i = nextNote;
        while (i < notes.size() && notes.get(i).start().before(headEnd)) i++;
        while (i < notes.size() && trails(notes.get(i), headEnd)) {
            if (!notes.get(i++).text().startsWith("/*")) break;
        }
        return i < notes.size() && notes.get(i).start().before(blockEnd);
    }

    private void finish() {
        for (String l : current.toString().split("\n", -1)) lines.add(l);
        current = null;
    }

    private void blank() {
        if (!lines.isEmpty() && !lines.getLast().isEmpty()) lines.add("");
    }

    /** One blank line where the source had at least one between a top-level comment and its neighbour. */
    private void gapBefore(int line) {
        if (previousEnd > 0 && line > previousEnd + 1) blank();
    }

    /** Prints the comments before `to` at the top level and returns whether there were any. */
    private boolean topLevelComments(Pos to) {
        boolean any = false;
        while (nextNote < notes.size() && notes.get(nextNote).start().before(to)) {
            Note n = notes.get(nextNote++);
            gapBefore(n.start().line());
            open(0);
            append(n.text());
            finish();
            previousEnd = n.endLine();
            any = true;
        }
        return any;
    }

    private static Pos start(Span s) {
        return Pos.start(s);
    }

    private static Pos end(Span s) {
        return Pos.end(s);
    }
}
