package charter.gitsync;

import java.time.Instant;
import java.util.List;

/**
 * One entry of the watcher's history.
 *
 * @param commit  the commit it is about (null for {@link Kind#ERROR} not tied to one)
 * @param reasons why a commit was rejected (diagnostics as {@code file:line:col: …},
 *                failed scenarios with their differences), or what happened to the branch
 * @param live    the commit whose Program is live after this event (null: none yet)
 * @param timings for an accepted commit, how long each step took; otherwise null
 */
public record WatchEvent(Kind kind, Instant at, ProgramCommit commit, List<String> reasons, String live, Timings timings) {
    public WatchEvent {
        reasons = List.copyOf(reasons);
    }

    public enum Kind {
        /** Compiled, its scenarios passed, and it is now live. */
        ACCEPTED,
        /** Did not compile, failed a scenario, or could not be read: the last good Program stays live. */
        REJECTED,
        /** The commit does not change the Program folder: nothing to swap. */
        UNCHANGED,
        /** The branch was rewritten (a force-push): the old tip is not an ancestor of the new one. */
        REWRITTEN,
        /** The branch could not be read or fetched; retried at the next refresh. */
        ERROR;

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** Milliseconds: read from Git, compile (with the Drools build), scenarios, swap; {@code scenarios} is how many passed. */
    public record Timings(long readMillis, long compileMillis, long scenarioMillis, long swapMillis, long totalMillis, int scenarios) {}
}
