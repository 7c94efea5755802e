package charter.cli.report;

import charter.engine.ingest.IngestReport;

/**
 * `charter ingest`: what happened to each file. Exit 1 when any file was rejected (the others
 * are in the store all the same).
 *
 * @param verified whether signatures were checked (a secret was given)
 */
public record IngestRunReport(String source, String tenant, String data, boolean verified, String program,
                              IngestReport result) implements CommandResult {
    @Override
    public int exitCode() {
        return result.rejected().isEmpty() ? 0 : 1;
    }
}
