package charter.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/**
 * `charter init` as a new team meets it: the Program it makes passes check, test and fmt, and the
 * pull-request workflow it writes works as written. The workflow's own `run` steps are taken from
 * the generated YAML and run in order, as GitHub Actions would (bash -eo pipefail, GITHUB_PATH,
 * RUNNER_TEMP, `${{ … }}` filled in), on a Git repository with a second commit that adds a rule;
 * the distribution is installed from the build's archive. Only the step that posts the comment,
 * which needs GitHub, is not run: its input, the Markdown diff, is checked instead.
 */
class InitWorkflowEndToEndTest {
    private static final Pattern EXPRESSION = Pattern.compile("\\$\\{\\{\\s*([^}]+?)\\s*}}");

    @TempDir
    Path tmp;

    @Test
    void theInitialisedRepositorysWorkflowRunsAsWrittenOnASecondCommit() throws Exception {
        Path repo = tmp.resolve("rules");
        Charter.Result init = Charter.runIn(tmp, "init", repo.toString(), "--name", "northwind");
        assertEquals(0, init.code(), init::toString);
        Charter.Result again = Charter.runIn(tmp, "init", repo.toString());
        assertEquals(1, again.code(), "a folder that is not empty is refused");
        assertTrue(again.err().contains("is not empty"), again::toString);
        Files.writeString(repo.resolve("main.charter"), Files.readString(repo.resolve("main.charter")) + "// mine\n");
        Charter.Result forced = Charter.runIn(tmp, "init", repo.toString(), "--force");
        assertEquals(0, forced.code(), forced::toString);
        assertTrue(Files.readString(repo.resolve("main.charter")).endsWith("// mine\n"), "--force never overwrites a file");
        Files.writeString(repo.resolve("main.charter"), Files.readString(repo.resolve("main.charter")).replace("// mine\n", ""));

        git(repo, "init", "-q", "-b", "main");
        git(repo, "add", "-A");
        git(repo, "commit", "-q", "-m", "charter init");
        String base = git(repo, "rev-parse", "HEAD").strip();
        Files.writeString(repo.resolve("main.charter"), Files.readString(repo.resolve("main.charter")) + """

                // A failed preview deploy is the author's business: a heads-up in #deploys.
                rule preview_deploy_failed "Tell #deploys when a preview deploy fails" {
                  when vercel.deployment.error d where d.target == "preview"
                  then slack.post(channel: "#deploys", text: "Preview of ${d.project} failed")
                }
                """);
        git(repo, "commit", "-q", "-am", "Tell #deploys about failed previews");

        Path runnerTemp = Files.createDirectories(tmp.resolve("runner"));
        Path githubPath = Files.createFile(tmp.resolve("github_path"));
        Path summary = Files.createFile(tmp.resolve("step_summary"));
        Map<String, String> expressions = Map.of(
                "vars.CHARTER_DIST_URL", Charter.distribution().toUri().toString(),
                "github.event.pull_request.base.sha", base,
                "github.token", "unused",
                "github.event.pull_request.number", "1");

        Map<String, Object> workflow = new Yaml().load(Files.readString(repo.resolve(".github/workflows/charter.yml")));
        Map<String, String> env = new LinkedHashMap<>();
        env.put("RUNNER_TEMP", runnerTemp.toString());
        env.put("GITHUB_PATH", githubPath.toString());
        env.put("GITHUB_STEP_SUMMARY", summary.toString());
        env.put("JAVA_HOME", System.getProperty("java.home"));   // what actions/setup-java does
        strings(workflow.get("env")).forEach((k, v) -> env.put(k, fill(v, expressions)));
        List<Map<String, Object>> steps = steps(workflow);
        int ran = 0;
        boolean commentStep = false;
        for (Map<String, Object> step : steps) {
            if (!(step.get("run") instanceof String script)) continue;
            if ("Comment on the pull request".equals(step.get("name"))) {
                commentStep = script.contains("--body-file charter-diff.md");
                continue;
            }
            Map<String, String> stepEnv = new LinkedHashMap<>(env);
            strings(step.get("env")).forEach((k, v) -> stepEnv.put(k, fill(v, expressions)));
            List<String> path = new ArrayList<>(Files.readAllLines(githubPath));
            path.add("/usr/bin");
            path.add("/bin");
            stepEnv.put("PATH", String.join(":", path));
            Run run = bash(repo, fill(script, expressions), stepEnv);
            assertEquals(0, run.code(), () -> "step `" + step.get("name") + "` failed:\n" + run.output());
            ran++;
        }
        assertEquals(5, ran, "install, check, format, scenarios, diff");
        assertTrue(commentStep, "the last step posts charter-diff.md");
        String diff = Files.readString(repo.resolve("charter-diff.md"));
        assertTrue(diff.contains("preview_deploy_failed"), diff);
        assertTrue(diff.contains("added"), diff);
        assertTrue(diff.contains("4 events"), "the impact over the recorded events:\n" + diff);
        assertTrue(Files.readString(summary).contains("preview_deploy_failed"), "the diff is also the job's summary");
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> steps(Map<String, Object> workflow) {
        Map<String, Object> jobs = (Map<String, Object>) workflow.get("jobs");
        Map<String, Object> job = (Map<String, Object>) jobs.values().iterator().next();
        return (List<Map<String, Object>>) job.get("steps");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> strings(Object map) {
        Map<String, String> out = new LinkedHashMap<>();
        if (map instanceof Map<?, ?> m) m.forEach((k, v) -> out.put(String.valueOf(k), String.valueOf(v)));
        return out;
    }

    /** `${{ expr }}` as Actions fills it in, from the values a pull-request run would have. */
    private static String fill(String text, Map<String, String> values) {
        Matcher m = EXPRESSION.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = values.get(m.group(1));
            if (value == null) throw new AssertionError("the workflow uses an expression this test does not know: " + m.group());
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        return m.appendTail(out).toString();
    }

    private record Run(int code, String output) {}

    private static Run bash(Path dir, String script, Map<String, String> env) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder("bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script)
                .directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().clear();
        pb.environment().put("HOME", dir.getParent().toString());
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(Charter.TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("timed out: " + script);
        }
        return new Run(p.exitValue(), out);
    }

    private static String git(Path dir, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("git", "-c", "user.name=Test", "-c", "user.email=test@example.com"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), () -> String.join(" ", command) + "\n" + out);
        return out;
    }
}
