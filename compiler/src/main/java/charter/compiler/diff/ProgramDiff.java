package charter.compiler.diff;

import charter.compiler.ast.Span;
import java.util.List;
import java.util.Locale;

/**
 * What changed in a company's rules between two Program versions, not in their text:
 * every declaration added, removed, renamed (same body, new id) or changed, each change
 * with precise details. Formatting, comments, file moves and reordering of declarations
 * produce nothing. Changes are in a fixed order: by {@link Category}, then by id.
 *
 * @param before the first Program's name
 * @param after  the second Program's name
 */
public record ProgramDiff(String before, String after, List<Change> changes) {
    public ProgramDiff {
        changes = List.copyOf(changes);
    }

    public boolean isEmpty() {
        return changes.isEmpty();
    }

    public long count(Op op) {
        return changes.stream().filter(c -> c.op() == op).count();
    }

    /**
     * The renames of rules, invariants and intents, old id → new id: what the outputs of
     * the two versions are attributed to, so impact analysis can match them.
     */
    public java.util.Map<String, String> renames() {
        java.util.Map<String, String> out = new java.util.TreeMap<>();
        for (Change c : changes) {
            boolean attributed = c.category() == Category.RULE || c.category() == Category.INVARIANT || c.category() == Category.INTENT;
            if (c.op() == Op.RENAMED && attributed) out.put(c.previousId(), c.id());
        }
        return out;
    }

    /** Kinds of declarations, in the order a review reads them: who, then what matters, then behaviour. */
    public enum Category {
        PROGRAM, PERSON, TEAM, SIGNIFICANCE, TRUTH, FUNCTION, RULE, INVARIANT, INTENT;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public enum Op {
        ADDED, REMOVED, RENAMED, CHANGED;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * One declaration that changed.
     *
     * @param id         the id in the second version (the first's for a removal)
     * @param previousId the id in the first version for a rename, else null
     * @param title      the title (second version's when there is one), or null
     * @param before     where it is written in the first version, null when added
     * @param after      where it is written in the second version, null when removed
     * @param details    what changed, in reading order; for an addition or removal, its canonical text
     * @param affected   for a function, the declarations that call it (`rule x`, `invariant y`, …)
     */
    public record Change(Category category, Op op, String id, String previousId, String title, Span before, Span after,
                         List<Detail> details, List<String> affected) {
        public Change {
            details = List.copyOf(details);
            affected = List.copyOf(affected);
        }

        /** `invariant no_friday_prod_deploys changed`, `rule b renamed from a`. */
        public String headline() {
            String head = category.label() + " " + id + " " + op.label();
            return op == Op.RENAMED ? head + " from " + previousId : head;
        }
    }

    /**
     * One precise difference. {@code from} is null when something was added, {@code to}
     * null when it was removed; both are canonical Charter text (or plain values such as
     * a level or a score).
     */
    public record Detail(String aspect, String from, String to) {
        public Kind kind() {
            return from == null ? Kind.ADDED : to == null ? Kind.REMOVED : Kind.CHANGED;
        }

        public enum Kind { ADDED, REMOVED, CHANGED }
    }
}
