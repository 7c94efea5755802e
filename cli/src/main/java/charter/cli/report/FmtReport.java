package charter.cli.report;

import java.util.List;

/**
 * `charter fmt [--check]`: the status of every `.charter` file, in path order, and the
 * diagnostics of the files that could not be formatted (syntax errors, not UTF-8, too large).
 */
public record FmtReport(String dir, boolean checkOnly, List<FileStatus> files, DiagnosticSet diagnostics)
        implements CommandResult {
    public FmtReport {
        files = List.copyOf(files);
    }

    public enum Status {
        /** Already canonical; left alone. */
        CANONICAL,
        /** Was not canonical and has been rewritten in place. */
        REFORMATTED,
        /** Is not canonical; `--check` changed nothing. */
        NOT_CANONICAL,
        /** Could not be formatted (see the diagnostics); never rewritten. */
        ERROR;

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }
    }

    public record FileStatus(String file, Status status) {}

    public List<String> filesWith(Status status) {
        return files.stream().filter(f -> f.status() == status).map(FileStatus::file).toList();
    }

    @Override
    public int exitCode() {
        boolean failed = !filesWith(Status.ERROR).isEmpty() || diagnostics.errors() > 0
                || checkOnly && !filesWith(Status.NOT_CANONICAL).isEmpty();
        return failed ? 1 : 0;
    }
}
