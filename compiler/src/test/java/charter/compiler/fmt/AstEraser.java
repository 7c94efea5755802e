package charter.compiler.fmt;

import charter.compiler.ast.Span;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.List;

/** A printout of an AST without its spans: two trees print the same iff they mean the same. */
final class AstEraser {
    private AstEraser() {}

    static String erase(Object node) {
        StringBuilder out = new StringBuilder();
        print(node, out);
        return out.toString();
    }

    private static void print(Object node, StringBuilder out) {
        switch (node) {
            case null -> out.append("null");
            case List<?> list -> {
                out.append('[');
                for (int i = 0; i < list.size(); i++) {
                    if (i > 0) out.append(", ");
                    print(list.get(i), out);
                }
                out.append(']');
            }
            case Record record -> {
                out.append(record.getClass().getSimpleName()).append('(');
                boolean first = true;
                for (RecordComponent c : record.getClass().getRecordComponents()) {
                    if (c.getType() == Span.class) continue;
                    if (!first) out.append(", ");
                    first = false;
                    out.append(c.getName()).append('=');
                    print(value(c, record), out);
                }
                out.append(')');
            }
            case String s -> out.append('"').append(s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n")).append('"');
            default -> out.append(node);
        }
    }

    private static Object value(RecordComponent c, Record record) {
        try {
            return c.getAccessor().invoke(record);
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException(e);
        }
    }
}
