package charter.compiler.core;

import charter.compiler.ast.Decl;
import charter.compiler.ast.Span;
import java.util.List;

/** A deny guard: the intent pattern (with its condition) plus facts that must or must not exist. */
public record CoreGuard(int index, String id, String title, Decl.Level level, String because, Span span,
                        String intent, FactPattern intentPattern, List<CoreElement> state) {
    public CoreGuard {
        state = List.copyOf(state);
    }
}
