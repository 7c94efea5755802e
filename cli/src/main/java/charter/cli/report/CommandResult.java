package charter.cli.report;

/**
 * What one command produced. Every reporting command builds exactly one of these and
 * hands it to a renderer: {@code TextRenderer} for people, {@code JsonRenderer} for
 * machines, so the two outputs can never say different things.
 */
public sealed interface CommandResult
        permits CheckReport, FmtReport, CompileReport, SimulationReport, TestRunReport, DiffReport, Rejected,
                IngestRunReport, EventsReport, GraphReport, BlameReport, WatchEventReport, CatalogReport, ExplainReport {

    /** 0 success, 1 the user's input is wrong (diagnostics, malformed files, failed scenarios). */
    int exitCode();
}
