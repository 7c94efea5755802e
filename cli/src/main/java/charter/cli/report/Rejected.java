package charter.cli.report;

import charter.engine.event.EventFileError;
import java.util.List;

/**
 * A command could not run because its input is wrong: the Program does not compile
 * (`diagnostics`), or an events, intents or scenario file is malformed (`inputErrors`,
 * every one of them, each with file:line:col).
 */
public record Rejected(String command, String dir, DiagnosticSet diagnostics, List<EventFileError> inputErrors)
        implements CommandResult {
    public Rejected {
        inputErrors = List.copyOf(inputErrors);
    }

    public static Rejected diagnostics(String command, String dir, DiagnosticSet diagnostics) {
        return new Rejected(command, dir, diagnostics, List.of());
    }

    @Override
    public int exitCode() {
        return 1;
    }
}
