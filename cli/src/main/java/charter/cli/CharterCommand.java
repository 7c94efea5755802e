package charter.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "charter", mixinStandardHelpOptions = true, scope = picocli.CommandLine.ScopeType.INHERIT, versionProvider = Version.class,
        description = "Company rules as code: check, format, compile, test and simulate Charter Programs; review changes with diff and blame; ingest webhooks into the store; follow a Git branch; serve.",
        subcommands = {CheckCommand.class, FmtCommand.class, CompileCommand.class, SimulateCommand.class,
                TestCommand.class, DemoCommand.class, IngestCommand.class, EventsCommand.class, GraphCommand.class,
                BlameCommand.class, WatchCommand.class, DiffCommand.class, ServeCommand.class, TokenCommand.class,
                CatalogCommand.class, InitCommand.class, IntentCommand.class, ExplainCommand.class, McpCommand.class,
                LspCommand.class},
        footer = {"", "Exit codes: 0 success, 1 user error (bad input, diagnostics, failed scenarios), 2 internal error;",
                "charter intent: 0 allow, 3 needs-override, 4 deny.",
                "Set CHARTER_DEBUG=1 to see the stack trace of an internal error."})
final class CharterCommand implements java.util.concurrent.Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        // No command: show what there is, on stderr, as a usage error.
        spec.commandLine().usage(spec.commandLine().getErr());
        return Main.USER_ERROR;
    }
}
