package charter.compiler.validate;

import charter.compiler.ast.Expr;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The names a declaration binds (its patterns' bindings, and `intent` in a deny guard) with what
 * each one is bound to: what the validator needs to read `d.target` as a term of its own and to
 * know the facts the catalog guarantees about it (an event's `type` is its pattern's type).
 */
final class Bindings {
    /** What a name is bound to: an event of a catalog type, an entity, or the intent being decided. */
    enum Kind { EVENT, ENTITY, INTENT }

    record Binding(Kind kind, String type) {}

    private final Map<String, Binding> byName = new LinkedHashMap<>();

    Bindings bind(String name, String type) {
        byName.put(name, new Binding(type.contains(".") ? Kind.EVENT : Kind.ENTITY, type));
        return this;
    }

    Bindings bindIntent(String intent) {
        byName.put("intent", new Binding(Kind.INTENT, intent));
        return this;
    }

    Bindings copy() {
        Bindings out = new Bindings();
        out.byName.putAll(byName);
        return out;
    }

    Binding get(String name) {
        return byName.get(name);
    }

    /**
     * The term a path names (`d.target`, `i.meta.level`), or null when it is not a field of a bound
     * fact (`now`, a person's name, a bare binding): only fields are reasoned about.
     */
    String term(Expr.Path p) {
        if (p.segments().size() < 2 || !byName.containsKey(p.segments().getFirst().text())) return null;
        return p.dotted();
    }
}
