package charter.cli.render;

/** A rendering split by stream: results go to stdout, diagnostics and input errors to stderr. */
public record Rendered(String out, String err) {
    public static Rendered out(String out) {
        return new Rendered(out, "");
    }
}
