package charter.compiler.eval;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;

/**
 * A Program's regular expression, in RE2 syntax and matched by RE2J in time linear
 * in the subject: no event field, however long, can make a `matches` backtrack or
 * overflow the stack of the thread that evaluates it (java.util.regex can do both).
 * The price is RE2's syntax: no lookaround, no backreferences, no possessive or
 * atomic groups.
 */
public final class Regex {
    /** Longer patterns are refused: a condition is not a place for a grammar. */
    public static final int MAX_LENGTH = 1_000;
    /** Compiled patterns with more instructions than this are refused (nested counted repeats multiply). */
    public static final int MAX_PROGRAM_SIZE = 20_000;

    private final Pattern pattern;

    private Regex(Pattern pattern) {
        this.pattern = pattern;
    }

    /** Why a pattern was refused: what, and how to write it instead. */
    public record Refusal(String reason, String help) {
        public String message() {
            return "invalid regular expression: " + reason + "; " + help;
        }
    }

    /** The outcome of compiling a pattern: a regex or a refusal, never an exception. */
    public sealed interface Compiled permits Accepted, Refused {}

    public record Accepted(Regex regex) implements Compiled {}

    public record Refused(Refusal refusal) implements Compiled {}

    public static Compiled compile(String source) {
        if (source.length() > MAX_LENGTH) {
            return refused("the pattern is " + source.length() + " characters long, more than " + MAX_LENGTH,
                    "split it into several `matches` joined by `or`");
        }
        if (RepeatEstimate.of(source) > MAX_PROGRAM_SIZE) {
            return refused("its counted repeats expand to more than " + MAX_PROGRAM_SIZE + " steps",
                    "use `+` or `*` instead of large nested `{n}` counts");
        }
        Pattern pattern;
        try {
            pattern = Pattern.compile(source);
        } catch (PatternSyntaxException e) {
            return refused(e.getDescription() + (e.getPattern() == null || e.getPattern().isEmpty() ? "" : " at `" + e.getPattern() + "`"),
                    HELP);
        }
        if (pattern.programSize() > MAX_PROGRAM_SIZE) {
            return refused("it compiles to " + pattern.programSize() + " steps, more than " + MAX_PROGRAM_SIZE,
                    "use `+` or `*` instead of large `{n}` counts");
        }
        return new Accepted(new Regex(pattern));
    }

    private static final String HELP = "patterns use RE2 syntax, which has no lookahead/lookbehind `(?=`, no backreferences `\\1`"
            + " and no possessive `++` or atomic `(?>` groups (see docs/security/programs.md)";

    private static Compiled refused(String reason, String help) {
        return new Refused(new Refusal(reason, help));
    }

    /** True when the pattern matches anywhere in the subject (like `find`, not a whole-string match). */
    public boolean find(String subject) {
        return pattern.matcher(subject).find();
    }

    public String source() {
        return pattern.pattern();
    }
}
