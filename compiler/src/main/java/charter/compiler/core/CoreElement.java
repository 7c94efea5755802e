package charter.compiler.core;

import charter.compiler.ast.Condition;

/** One conditional element of a rule's left-hand side. */
public sealed interface CoreElement {
    FactPattern pattern();

    record Match(FactPattern pattern) implements CoreElement {}

    record Absent(FactPattern pattern) implements CoreElement {}

    record Exists(FactPattern pattern) implements CoreElement {}

    /** `count(pattern) op threshold within window`, fired once per crossing through a latch fact. */
    record Counted(FactPattern pattern, Condition.CountOp op, int threshold, long windowMillis) implements CoreElement {}
}
