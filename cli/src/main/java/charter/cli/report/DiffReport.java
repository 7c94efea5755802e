package charter.cli.report;

import charter.compiler.diff.ProgramDiff;
import charter.engine.impact.ChangeReport;
import charter.engine.impact.ImpactReport;

/**
 * `charter diff`: the {@link ChangeReport} of two Program versions (the semantic diff and,
 * when events or intents were given, the impact analysis). Text, Markdown and JSON are three
 * renderings of it; the server's {@code POST /v1/diff} renders the same object.
 */
public record DiffReport(ChangeReport result, ExitPolicy exit) implements CommandResult {
    /** Exit 0 whatever the differences: the default, for a person reading the report. */
    public DiffReport(ChangeReport result) {
        this(result, ExitPolicy.ALWAYS_ZERO);
    }

    /** What the impact analysis may show before a pull request fails (`--fail-on`). */
    public enum FailOn {
        DECISIONS_FLIPPED("decisions-flipped"), ACTIONS_REMOVED("actions-removed"), ACTIONS_ADDED("actions-added"),
        ACTIONS_CHANGED("actions-changed"), VIOLATIONS_APPEARED("violations-appeared"), ERRORS_APPEARED("errors-appeared");

        private final String label;

        FailOn(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }

        /** `1 decision flipped`, `2 decisions flipped`: the label's words with the count, its noun singular for one. */
        public String counted(int n) {
            String words = label.replace('-', ' ');
            return n + " " + (n == 1 ? words.replaceFirst("s ", " ") : words);
        }

        int count(ImpactReport impact) {
            return switch (this) {
                case DECISIONS_FLIPPED -> impact.decisionsFlipped().count();
                case ACTIONS_REMOVED -> impact.actionsRemoved().count();
                case ACTIONS_ADDED -> impact.actionsAdded().count();
                case ACTIONS_CHANGED -> impact.actionsChanged().count();
                case VIOLATIONS_APPEARED -> impact.violationsAppeared().count();
                case ERRORS_APPEARED -> impact.errorsAppeared().count();
            };
        }
    }

    /**
     * How the diff exits, for CI. With `detailed` (as `terraform plan -detailed-exitcode`): 0 when
     * nothing would change, {@link #CHANGES} when the Programs differ or their replays do. Any
     * `failOn` kind the impact analysis shows exits {@link #FAILED_CHECK}, whatever else.
     */
    public record ExitPolicy(boolean detailed, java.util.Set<FailOn> failOn) {
        public static final ExitPolicy ALWAYS_ZERO = new ExitPolicy(false, java.util.Set.of());

        public ExitPolicy {
            failOn = java.util.Set.copyOf(failOn);
        }
    }

    /** Exit code with `--detailed-exitcode`: the Programs, or what they would have done, differ. */
    public static final int CHANGES = 2;
    /** Exit code when a `--fail-on` kind shows in the impact analysis. */
    public static final int FAILED_CHECK = 3;

    /** Each `--fail-on` kind that the impact analysis shows, as `2 decisions flipped`, in the order of {@link FailOn}. */
    public java.util.List<String> failures() {
        if (impact() == null) return java.util.List.of();
        java.util.List<String> out = new java.util.ArrayList<>();
        for (FailOn kind : FailOn.values()) {
            int n = exit.failOn().contains(kind) ? kind.count(impact()) : 0;
            if (n > 0) out.add(kind.counted(n) + " (--fail-on " + kind.label() + ")");
        }
        return out;
    }

    /** Whether the Programs differ, or would have acted differently on the inputs given. */
    public boolean changed() {
        return !diff().isEmpty() || (impact() != null && !impact().isEmpty());
    }

    public ChangeReport.Side before() {
        return result.before();
    }

    public ChangeReport.Side after() {
        return result.after();
    }

    public ProgramDiff diff() {
        return result.diff();
    }

    /** null when no events or intents were given. */
    public ImpactReport impact() {
        return result.impact();
    }

    @Override
    public int exitCode() {
        if (!failures().isEmpty()) return FAILED_CHECK;
        return exit.detailed() && changed() ? CHANGES : 0;
    }
}
