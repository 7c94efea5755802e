package charter.compiler.passes;

/**
 * One named stage of the compiler: takes plain data, returns plain data, and
 * reports problems into {@link Diagnostics}. A pass may return null only when it
 * reported an error that makes its output meaningless.
 */
public interface Pass<I, O> {
    String name();

    O run(I input, Diagnostics diagnostics);
}
