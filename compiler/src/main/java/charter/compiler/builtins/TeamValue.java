package charter.compiler.builtins;

/**
 * A team as a runtime value. {@link #NOBODY} is what `owner(x)` gives for a thing no
 * team owns: a value a rule can test (`owner(d.project) == nobody`), never a null.
 */
public record TeamValue(String id) {
    public static final TeamValue NOBODY = new TeamValue("");

    public boolean isNobody() {
        return id.isEmpty();
    }

    @Override
    public String toString() {
        return isNobody() ? "nobody" : id;
    }
}
