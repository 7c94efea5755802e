package charter.compiler.fuzz;

import java.util.List;
import java.util.Random;

/**
 * Random Programs from the grammar, mostly well typed, so that the passes after the
 * parser (resolve, typecheck, lower, generate, build) see varied input too.
 */
final class ProgramGenerator {
    private record Source(String type, String binding, List<String> strings, List<String> numbers) {}

    private static final List<Source> SOURCES = List.of(
            new Source("vercel.deployment.error", "d", List.of("target", "project", "url"), List.of()),
            new Source("github.pull_request.opened", "p", List.of("title", "repo", "author", "base_branch"), List.of("additions", "deletions")),
            new Source("sentry.issue.created", "i", List.of("level", "title", "project", "issue_id"), List.of()));

    private final Random random;

    ProgramGenerator(Random random) {
        this.random = random;
    }

    String program() {
        StringBuilder s = new StringBuilder("program \"g\"\n");
        s.append("person alice { github \"alice-gh\" email \"alice@x.dev\" }\n");
        s.append("team platform { members alice owns project \"api\", repo \"acme/api\" }\n");
        int rules = 1 + random.nextInt(3);
        for (int r = 0; r < rules; r++) rule(s, r);
        if (random.nextBoolean()) {
            Source src = pick(SOURCES);
            s.append("significance {\n  ").append(src.type()).append(" where ").append(condition(src, false, 3)).append(" => ")
                    .append(random.nextInt(101)).append("\n}\n");
        }
        if (random.nextBoolean()) {
            s.append("intent ship(repo: string, target: string)")
                    .append(random.nextInt(3) == 0 ? " approval by " + pick(List.of("alice", "team platform", "owner(intent.repo)")) : "")
                    .append(" { resolve vercel.deploy(project: intent.repo, sha: \"abc\", target: intent.target) }\n");
            s.append("invariant guard hard { deny ship where intent.target == \"production\" and weekday(now) == \"friday\""
                    + " unless intent.actor in team platform because \"no\" }\n");
            if (random.nextBoolean()) {
                List<String> who = List.of("anyone", "alice", "team platform", "owner(intent.repo)", "team_of(intent.actor)");
                s.append("invariant owned soft { deny ship where intent.actor not in owner(intent.repo) because \"owners ship\"\n"
                        + "  override by ").append(pick(who));
                if (random.nextBoolean()) s.append(", ").append(pick(who));
                s.append(random.nextBoolean() ? " including self" : "").append(" }\n");
            }
        }
        if (random.nextInt(4) == 0) {
            s.append("function js risk(n: number): number { return n > 500 ? 80 : 20 }\n");
        }
        return s.toString();
    }

    private void rule(StringBuilder s, int index) {
        Source src = pick(SOURCES);
        String b = src.binding();
        s.append("rule r").append(index);
        if (random.nextInt(4) == 0) s.append(" approval by ").append(pick(List.of("alice", "team platform", "owner(" + b + "." + pick(src.strings()) + ")")));
        s.append(" {\n  when ");
        if (random.nextInt(5) == 0) {
            s.append("count(").append(src.type()).append(' ').append(b).append(" where ").append(condition(src, true, 2))
                    .append(") >= ").append(1 + random.nextInt(5)).append(" within ").append(1 + random.nextInt(60)).append("m\n");
            s.append("  then slack.post(channel: \"#c\", text: \"burst\")\n}\n");
            return;
        }
        s.append(src.type()).append(' ').append(b);
        if (random.nextBoolean()) s.append(" where ").append(condition(src, true, 1 + random.nextInt(5)));
        if (random.nextInt(3) == 0) {
            Source other = pick(SOURCES);
            String o = other.binding() + "2";
            s.append("\n   and not ").append(other.type()).append(' ').append(o).append(" within 15m after ").append(b);
        }
        s.append("\n  then slack.post(channel: \"#c\", text: \"").append(text(src)).append("\")")
                .append(random.nextInt(4) == 0 ? " approval by alice, team platform" : "").append("\n}\n");
    }

    private String text(Source src) {
        return switch (random.nextInt(3)) {
            case 0 -> "plain";
            case 1 -> "${" + src.binding() + "." + pick(src.strings()) + "}";
            default -> "x ${lower(" + src.binding() + "." + pick(src.strings()) + ")} by ${owner(" + src.binding() + "." + pick(src.strings()) + ")}";
        };
    }

    private String condition(Source src, boolean qualified, int depth) {
        String prefix = qualified ? src.binding() + "." : "";
        if (depth <= 0) {
            return switch (random.nextInt(7)) {
                case 0 -> prefix + pick(src.strings()) + " == \"" + pick(List.of("production", "fatal", "api", "")) + "\"";
                case 1 -> prefix + pick(src.strings()) + " matches \"" + pick(List.of("^feat", "(a|b)+$", "\\\\d{2,4}", "[[:alpha:]]")) + "\"";
                case 2 -> prefix + pick(src.strings()) + " in [\"a\", \"b\"]";
                case 3 -> src.numbers().isEmpty() ? "true" : prefix + pick(src.numbers()) + " > " + random.nextInt(1000);
                case 4 -> "starts_with(" + prefix + pick(src.strings()) + ", \"x\")";
                case 5 -> "exists " + prefix + pick(src.strings());
                default -> pick(List.of("true", "false"));
            };
        }
        return switch (random.nextInt(4)) {
            case 0 -> condition(src, qualified, depth - 1) + " and " + condition(src, qualified, depth - 1);
            case 1 -> condition(src, qualified, depth - 1) + " or " + condition(src, qualified, depth - 1);
            case 2 -> "not " + condition(src, qualified, depth - 1);
            default -> "(" + condition(src, qualified, depth - 1) + ")";
        };
    }

    private <T> T pick(List<T> list) {
        return list.get(random.nextInt(list.size()));
    }
}
