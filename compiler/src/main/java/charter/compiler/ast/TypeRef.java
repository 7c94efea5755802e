package charter.compiler.ast;

/** A dotted event type (`vercel.deployment.error`) or an entity type (`deployment`). */
public record TypeRef(String name, Span span) {
    @Override
    public String toString() {
        return name;
    }
}
