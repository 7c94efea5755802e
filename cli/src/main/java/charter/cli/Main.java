package charter.cli;

import java.io.FileOutputStream;
import java.io.FileDescriptor;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/**
 * The `charter` command. Exit codes: 0 success, 1 user error, 2 internal error. A user
 * error is one line on stderr, never a stack trace; an internal error is one line and a
 * hint to rerun with CHARTER_DEBUG=1, which prints the trace.
 */
public final class Main {
    public static final int OK = 0;
    public static final int USER_ERROR = 1;
    public static final int INTERNAL_ERROR = 2;

    private Main() {}

    /** A command whose exit codes give 2 another meaning (`diff --detailed-exitcode`: changes) says what an internal error exits with. */
    interface OwnExitCodes {
        int internalErrorCode();
    }

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(new OutputStreamWriter(new FileOutputStream(FileDescriptor.out), StandardCharsets.UTF_8), true);
        PrintWriter err = new PrintWriter(new OutputStreamWriter(new FileOutputStream(FileDescriptor.err), StandardCharsets.UTF_8), true);
        int code = run(args, out, err, System.getenv());
        out.flush();
        err.flush();
        System.exit(code);
    }

    /** Runs one command line; everything it prints goes to `out` and `err`. */
    public static int run(String[] args, PrintWriter out, PrintWriter err, Map<String, String> env) {
        boolean debug = env.getOrDefault("CHARTER_DEBUG", "").matches("1|true|yes");
        CommandLine cli = new CommandLine(new CharterCommand());
        cli.setOut(out);
        cli.setErr(err);
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        // `charter intent --server` reads its token from the environment it is given (tests give their own).
        if (cli.getSubcommands().get("intent").getCommand() instanceof IntentCommand intent) intent.env = env;
        if (cli.getSubcommands().get("mcp").getCommand() instanceof McpCommand mcp) mcp.env = env;
        cli.setParameterExceptionHandler((ParameterException e, String[] ignored) -> {
            String command = e.getCommandLine().getCommandSpec().qualifiedName();
            err.println(command + ": " + e.getMessage() + " (see '" + command + " --help')");
            err.flush();
            return USER_ERROR;
        });
        cli.setExecutionExceptionHandler((Exception e, CommandLine command, CommandLine.ParseResult parsed) -> {
            out.flush();
            if (e instanceof UserError) {
                err.println("charter: " + e.getMessage());
                err.flush();
                return USER_ERROR;
            }
            String message = e.getMessage() == null ? "" : ": " + e.getMessage().lines().findFirst().orElse("");
            err.println("charter: internal error (" + e.getClass().getSimpleName() + message + ")"
                    + (debug ? "" : "; rerun with CHARTER_DEBUG=1 to see the stack trace"));
            if (debug) {
                StringWriter trace = new StringWriter();
                e.printStackTrace(new PrintWriter(trace));
                err.print(trace);
            }
            err.flush();
            return command.getCommand() instanceof OwnExitCodes own ? own.internalErrorCode() : INTERNAL_ERROR;
        });
        try {
            return cli.execute(args);
        } catch (StackOverflowError | OutOfMemoryError e) {
            // Errors escape picocli's exception handler; still no trace unless asked for.
            err.println("charter: internal error (" + e.getClass().getSimpleName() + ")"
                    + (debug ? "" : "; rerun with CHARTER_DEBUG=1 to see the stack trace"));
            if (debug) e.printStackTrace(err);
            err.flush();
            return INTERNAL_ERROR;
        }
    }
}
