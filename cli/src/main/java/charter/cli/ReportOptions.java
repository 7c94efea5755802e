package charter.cli;

import charter.cli.render.JsonRenderer;
import charter.cli.render.Rendered;
import charter.cli.render.TextRenderer;
import charter.cli.report.CommandResult;
import java.io.PrintWriter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** The `--format` option every reporting command mixes in, and the one way a result reaches the terminal. */
public final class ReportOptions {
    @Spec(Spec.Target.MIXEE)
    private CommandSpec spec;

    @Option(names = "--format", defaultValue = "text", paramLabel = "text|json",
            description = "Output format: text for people, json for machines (default: ${DEFAULT-VALUE}).")
    private OutputFormat format;

    public OutputFormat format() {
        return format;
    }

    /** Renders the result in the chosen format, writes it out, and returns its exit code. */
    public int emit(CommandResult result) {
        Rendered rendered = format == OutputFormat.json ? new JsonRenderer().render(result) : new TextRenderer().render(result);
        return write(spec, rendered, result);
    }

    /** Writes a rendering (diagnostics to stderr, results to stdout) and returns the result's exit code. */
    static int write(CommandSpec spec, Rendered rendered, CommandResult result) {
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter out = spec.commandLine().getOut();
        err.print(rendered.err());
        err.flush();
        out.print(rendered.out());
        out.flush();
        return result.exitCode();
    }
}
