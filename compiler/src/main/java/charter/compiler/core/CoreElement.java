package charter.compiler.core;

import charter.compiler.ast.Condition;
import java.util.List;
import java.util.stream.Stream;

/** One conditional element of a rule's left-hand side. */
public sealed interface CoreElement {
    FactPattern pattern();

    /** This element's pattern and those of the elements nested in it, outermost first. */
    default Stream<FactPattern> patterns() {
        return Stream.of(pattern());
    }

    record Match(FactPattern pattern) implements CoreElement {}

    /**
     * No fact matches the pattern together with {@code inner}: the elements checked for the same
     * fact (a guard's `not exists(P p where … and not exists(Q q where … p …))`), empty when none.
     */
    record Absent(FactPattern pattern, List<CoreElement> inner) implements CoreElement {
        public Absent {
            inner = List.copyOf(inner);
        }

        public Absent(FactPattern pattern) {
            this(pattern, List.of());
        }

        @Override
        public Stream<FactPattern> patterns() {
            return Stream.concat(Stream.of(pattern), inner.stream().flatMap(CoreElement::patterns));
        }
    }

    /**
     * Some fact matches the pattern together with {@code inner}: elements that refer to it (nested
     * `exists`/`not exists`, or later `exists` of the guard joined to it as {@link Match}).
     */
    record Exists(FactPattern pattern, List<CoreElement> inner) implements CoreElement {
        public Exists {
            inner = List.copyOf(inner);
        }

        public Exists(FactPattern pattern) {
            this(pattern, List.of());
        }

        @Override
        public Stream<FactPattern> patterns() {
            return Stream.concat(Stream.of(pattern), inner.stream().flatMap(CoreElement::patterns));
        }
    }

    /**
     * `count(pattern) [by key…] op threshold within window`, fired once per crossing (per group) through a
     * latch fact. {@code groupBy} are field names of the counted event; empty for one count.
     */
    record Counted(FactPattern pattern, Condition.CountOp op, int threshold, long windowMillis, List<String> groupBy)
            implements CoreElement {
        public Counted {
            groupBy = List.copyOf(groupBy);
        }

        public Counted(FactPattern pattern, Condition.CountOp op, int threshold, long windowMillis) {
            this(pattern, op, threshold, windowMillis, List.of());
        }
    }

    /** The elements and every element nested in them, outermost first. */
    static Stream<CoreElement> flatten(List<CoreElement> elements) {
        return elements.stream().flatMap(e -> Stream.concat(Stream.of(e), switch (e) {
            case Absent a -> flatten(a.inner());
            case Exists x -> flatten(x.inner());
            default -> Stream.<CoreElement>empty();
        }));
    }
}
