package charter.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "init", description = {
        "Start a Program repository: charter.yaml, main.charter (a rule, an invariant and an intent, explained),",
        "people.charter, a scenario, recorded events, .gitignore and a GitHub Actions workflow that checks every",
        "pull request and comments with its semantic diff and impact. It passes check, test and fmt --check as made.",
        "Refuses a folder that is not empty unless --force; never overwrites a file."})
final class InitCommand implements Callable<Integer> {
    /** Template resource → path in the new repository; `dot-` names keep dotfiles out of the jar's hidden names. */
    private static final List<String[]> FILES = List.of(
            new String[]{"charter.yaml", "charter.yaml"},
            new String[]{"main.charter", "main.charter"},
            new String[]{"people.charter", "people.charter"},
            new String[]{"scenarios/failed_deploy_and_ship.yaml", "scenarios/failed_deploy_and_ship.yaml"},
            new String[]{"recordings/events.jsonl", "recordings/events.jsonl"},
            new String[]{"dot-gitignore", ".gitignore"},
            new String[]{"dot-github/workflows/charter.yml", ".github/workflows/charter.yml"});
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

    @Parameters(index = "0", arity = "0..1", paramLabel = "DIR", description = "Where to create it (default: the current folder).")
    Path dir;

    @Option(names = "--name", paramLabel = "NAME", description = "The Program's name (default: the folder's name, lower-cased).")
    String name;

    @Option(names = "--force", description = "Also in a folder that is not empty; files that exist are kept, never overwritten.")
    boolean force;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        Path target = (dir == null ? Path.of("") : dir).toAbsolutePath().normalize();
        if (Files.exists(target) && !Files.isDirectory(target)) throw new UserError(target + " is a file, not a folder");
        if (Files.isDirectory(target) && !force) {
            try (var entries = Files.list(target)) {
                List<String> present = entries.map(p -> p.getFileName().toString()).filter(n -> !n.equals(".git")).sorted().limit(3).toList();
                if (!present.isEmpty()) {
                    throw new UserError(target + " is not empty (" + String.join(", ", present) + (present.size() == 3 ? ", …" : "")
                            + "); choose an empty folder, or --force to add the files that are missing");
                }
            }
        }
        String program = name != null ? name : defaultName(target);
        if (!NAME.matcher(program).matches()) {
            throw new UserError("`" + program + "` cannot name a Program: use lower-case letters, digits and dashes"
                    + (name == null ? " (--name NAME)" : ""));
        }
        List<String> written = new ArrayList<>();
        List<String> kept = new ArrayList<>();
        for (String[] file : FILES) {
            Path out = target.resolve(file[1]);
            if (Files.exists(out)) {
                kept.add(file[1]);
                continue;
            }
            Files.createDirectories(out.getParent());
            Files.writeString(out, template(file[0]).replace("{{name}}", program), StandardCharsets.UTF_8);
            written.add(file[1]);
        }
        var out = spec.commandLine().getOut();
        out.println("Created the Program `" + program + "` in " + target + ":");
        written.forEach(f -> out.println("  " + f));
        if (!kept.isEmpty()) out.println("Kept as they were: " + String.join(", ", kept));
        out.println();
        out.println("Next: charter check " + display(target) + " && charter test " + display(target)
                + "; commit it, set the repository variable CHARTER_DIST_URL, and every pull request gets its diff as a comment.");
        out.flush();
        return Main.OK;
    }

    private static String defaultName(Path target) {
        Path leaf = target.getFileName();
        String base = leaf == null ? "company" : leaf.toString().toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9-]+", "-");
        base = base.replaceAll("^-+|-+$", "");
        return base.isEmpty() ? "company" : base;
    }

    private static String display(Path target) {
        Path here = Path.of("").toAbsolutePath();
        return target.equals(here) ? "." : target.startsWith(here) ? here.relativize(target).toString() : target.toString();
    }

    private static String template(String resource) throws IOException {
        try (InputStream in = InitCommand.class.getResourceAsStream("/charter/init/" + resource)) {
            if (in == null) throw new IllegalStateException("missing template " + resource);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
