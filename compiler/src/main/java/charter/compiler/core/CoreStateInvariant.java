package charter.compiler.core;

import charter.compiler.ast.Decl;
import charter.compiler.ast.Span;

/** `every P has Q within W after p`: a violation per P whose window closes without a Q. */
public record CoreStateInvariant(int index, String id, String title, Decl.Level level, String because, Span span,
                                 FactPattern every, FactPattern has, long windowMillis) {}
