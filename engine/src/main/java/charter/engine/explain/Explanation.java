package charter.engine.explain;

import java.time.Instant;
import java.util.List;

/**
 * Why a rule fired or did not for one event, why an invariant denied an intent or did not, or
 * why a state invariant was violated for an event: the verdict the reference interpreter reached
 * on the same inputs as a dry run, and the evidence, condition by condition.
 *
 * @param reason      one sentence: what decided the verdict
 * @param occurrences when it happened with the subject (firings or violations citing the event; the denial)
 * @param steps       each condition of the rule or invariant in source order, with its value on the candidates
 * @param guards      for an intent: every deny guard of its intent type, with whether it denied
 */
public record Explanation(Target target, Subject subject, Verdict verdict, String reason,
                          List<Occurrence> occurrences, List<Step> steps, List<Guard> guards) {
    public Explanation {
        occurrences = List.copyOf(occurrences);
        steps = List.copyOf(steps);
        guards = List.copyOf(guards);
    }

    /** What was asked: a rule or an invariant, and the event or intent to explain it for. */
    public record Question(String id, SubjectKind subjectKind, String subjectId) {}

    public enum SubjectKind { EVENT, INTENT }

    public enum Verdict {
        FIRED("fired"), DID_NOT_FIRE("did not fire"), DENIED("denied"), DID_NOT_DENY("did not deny"),
        VIOLATED("violated"), NOT_VIOLATED("not violated");

        private final String words;

        Verdict(String words) {
            this.words = words;
        }

        public String words() {
            return words;
        }

        /** Whether the rule fired, the guard denied or the invariant was violated. */
        public boolean happened() {
            return this == FIRED || this == DENIED || this == VIOLATED;
        }
    }

    /** @param kind "rule" or "invariant"; @param level an invariant's level, else null; @param location file:line */
    public record Target(String kind, String id, String title, String level, String location) {}

    /** @param type the event type or the intent name */
    public record Subject(SubjectKind kind, String id, String type, Instant time) {}

    /** One firing or violation citing the subject (its time and the events it cites), or the denial. */
    public record Occurrence(Instant time, List<String> eventIds) {
        public Occurrence {
            eventIds = List.copyOf(eventIds);
        }
    }

    /**
     * One condition of the rule or invariant.
     *
     * @param role       pattern, absence, count, every, has, condition, exists, not exists, unless
     * @param text       the condition as the formatter writes it
     * @param window     the window it was checked in, or null
     * @param holds      whether it held on the combination explained; null when not evaluated (an earlier one failed to bind)
     * @param note       what the candidates add up to, in words (a count, what filled an absence); may be empty
     * @param checks     for a condition on the intent (no candidates): each part with its value
     * @param candidates the events it was checked on: the one bound first, then the nearest that almost matched
     */
    public record Step(String role, String text, Window window, Boolean holds, String note, List<Check> checks,
                       List<Candidate> candidates) {
        public Step {
            checks = List.copyOf(checks);
            candidates = List.copyOf(candidates);
        }
    }

    /** @param text e.g. {@code within 10m after a}; from and to are both included */
    public record Window(String text, Instant from, Instant to) {
        public boolean contains(Instant t) {
            return !t.isBefore(from) && !t.isAfter(to);
        }
    }

    /**
     * One event checked against a pattern.
     *
     * @param subject  whether it is the event being explained
     * @param inWindow whether its time is in the pattern's window (null: the pattern has none)
     * @param matches  in the window and every check true
     */
    public record Candidate(String eventId, String type, Instant time, boolean subject, Boolean inWindow,
                            List<Check> checks, boolean matches) {
        public Candidate {
            checks = List.copyOf(checks);
        }

        /** How many checks held: how near it came. */
        public int held() {
            return (int) checks.stream().filter(c -> c.outcome() == Outcome.TRUE).count();
        }
    }

    /**
     * One {@code and} part of a {@code where}, with its value and the value of each field it reads.
     *
     * @param values each field path it names, with its value as the language writes it ({@code missing} when absent)
     */
    public record Check(String text, Outcome outcome, List<Value> values) {
        public Check {
            values = List.copyOf(values);
        }
    }

    public record Value(String path, String value) {}

    /** TRUE, FALSE, or MISSING: false because a field it reads is not there. */
    public enum Outcome { TRUE, FALSE, MISSING }

    /** A deny guard of the intent's type: did it deny, and why in one sentence. */
    public record Guard(String invariant, String level, boolean denies, String reason) {}
}
