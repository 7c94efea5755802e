package charter.cli.report;

import charter.engine.result.SimulationResult;

/**
 * `charter simulate` and `charter demo`: one dry run. `demo` is null for `simulate`;
 * for `demo` it names what was replayed, for the short header.
 */
public record SimulationReport(SimulationResult result, Demo demo) implements CommandResult {

    /** The embedded example Program and the recording it replays. */
    public record Demo(String example, String eventsFile) {}

    @Override
    public int exitCode() {
        return 0;
    }
}
