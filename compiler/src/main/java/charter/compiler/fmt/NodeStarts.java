package charter.compiler.fmt;

import charter.compiler.ast.Decl;
import charter.compiler.ast.InvariantBody;
import charter.compiler.ast.Span;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Where every AST node of a file starts, sorted. The formatter asks it whether
 * code lies between the end of a line's content and a comment after it: only
 * then is the comment not a trailing comment of that line.
 */
final class NodeStarts {
    private final List<Pos> starts = new ArrayList<>();

    NodeStarts(List<Decl> decls) {
        for (Decl d : decls) collect(d);
        Collections.sort(starts);
    }

    /** Whether some node starts at or after `from` and before `to`. */
    boolean anyIn(Pos from, Pos to) {
        int i = Collections.binarySearch(starts, from);
        if (i < 0) i = -i - 1;
        return i < starts.size() && starts.get(i).before(to);
    }

    private void collect(Object node) {
        switch (node) {
            case null -> { }
            case List<?> list -> list.forEach(this::collect);
            case Span span -> starts.add(Pos.start(span));
            case InvariantBody body -> {
                // The `because` string has no node of its own; its closing quote keeps a comment
                // after it from trailing the line before.
                starts.add(new Pos(body.span().endLine(), body.span().endColumn() - 1));
                collectComponents((Record) body);
            }
            case Record record -> collectComponents(record);
            default -> { }
        }
    }

    private void collectComponents(Record record) {
        for (RecordComponent c : record.getClass().getRecordComponents()) collect(value(c, record));
    }

    private static Object value(RecordComponent c, Record record) {
        try {
            return c.getAccessor().invoke(record);
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException("cannot read " + c, e);
        }
    }
}
