package charter.compiler.fuzz;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import com.google.re2j.Matcher;
import com.google.re2j.Pattern;

/**
 * Mutates Program text the way a careless or hostile author would: tokens deleted,
 * duplicated, swapped or inserted, deep nesting and long operator chains, huge
 * literals and names, odd unicode, random bytes, truncation. Works on a rough
 * tokenisation (words, strings, numbers, punctuation, blanks) so that most mutants
 * still look like Programs and get past the parser into the later passes.
 */
final class ProgramMutator {
    private static final Pattern TOKEN = Pattern.compile(
            "\"(?:\\\\.|[^\"\\\\\\n])*\"|//[^\\n]*|[A-Za-z_][A-Za-z0-9_]*|[0-9]+(?:\\.[0-9]+)?[a-z]*|=>|==|!=|<=|>=|\\s+|.", Pattern.DOTALL);
    private static final List<String> VOCABULARY = List.of(
            "program", "import", "person", "team", "members", "owns", "significance", "truth", "prefer", "over", "rule", "when",
            "then", "and", "or", "not", "in", "matches", "where", "within", "after", "before", "count", "exists", "invariant",
            "advisory", "soft", "hard", "deny", "unless", "because", "override", "by", "including", "self", "anyone", "every", "has", "intent", "resolve", "function", "js",
            "nobody", "true", "false", "now", "{", "}", "(", ")", "[", "]", ",", ".", ":", "=>", "==", "!=", "<", "<=", ">", ">=",
            "+", "-", ";", "\"x\"", "\"${d.project}\"", "\"${\"", "15m", "1h", "0", "100", "1e999", "-1", "d", "p", "i", "a",
            "vercel.deployment.error", "github.pull_request.opened", "sentry.issue.created", "slack.post", "lower", "owner",
            "weekday", "len", "\n", " ");
    private static final int[] ODD_CODE_POINTS = {0x0, 0x7, 0x1b, 0x7f, 0x85, 0xa0, 0xad, 0x200b, 0x200e, 0x202e, 0x2028, 0xfeff,
            0xfffd, 0xffff, 0xd800, 0xdfff, 0x1f600, 0x10ffff, 0x0301, 0x0e01, 0x4e2d, 0xe8};

    private final Random random;
    private final List<String> donors;

    /** @param donors other Program texts whose lines can be spliced in */
    ProgramMutator(Random random, List<String> donors) {
        this.random = random;
        this.donors = donors;
    }

    static List<String> tokens(String text) {
        List<String> out = new ArrayList<>();
        Matcher m = TOKEN.matcher(text);
        while (m.find()) out.add(m.group());
        return out;
    }

    /** One to four mutations of `text`. */
    String mutate(String text) {
        String out = text;
        int n = 1 + random.nextInt(4);
        for (int i = 0; i < n; i++) out = once(out);
        return out;
    }

    private String once(String text) {
        List<String> t = tokens(text);
        if (t.isEmpty()) t.add(pick(VOCABULARY));
        int at = random.nextInt(t.size());
        switch (random.nextInt(12)) {
            case 0 -> t.remove(at);
            case 1 -> t.add(at, t.get(at));
            case 2 -> {
                int other = random.nextInt(t.size());
                String a = t.get(at);
                t.set(at, t.get(other));
                t.set(other, a);
            }
            case 3 -> t.add(at, " " + pick(VOCABULARY) + " ");
            case 4 -> t.add(at, " " + pick(t) + " ");
            case 5 -> t.add(at, deep());
            case 6 -> t.add(at, huge());
            case 7 -> t.add(at, odd());
            case 8 -> t.set(at, randomChars(1 + random.nextInt(8)));
            case 9 -> {
                String donor = pick(donors);
                String[] lines = donor.split("\n", -1);
                t.add(at, "\n" + lines[random.nextInt(lines.length)] + "\n");
            }
            case 10 -> {
                return String.join("", t.subList(0, at));
            }
            default -> {
                int to = Math.min(t.size(), at + 1 + random.nextInt(6));
                t.subList(at, to).clear();
            }
        }
        return String.join("", t);
    }

    /** Deep nesting and long chains, around the parser's limits and far past them. */
    private String deep() {
        int n = switch (random.nextInt(4)) {
            case 0 -> 1 + random.nextInt(10);
            case 1 -> 50 + random.nextInt(100);
            case 2 -> 120 + random.nextInt(300);
            default -> 1_000 + random.nextInt(4_000);
        };
        StringBuilder s = new StringBuilder(" ");
        switch (random.nextInt(7)) {
            case 0 -> s.append("(".repeat(n)).append("true").append(")".repeat(random.nextBoolean() ? n : n / 2));
            case 1 -> s.append("not ".repeat(n)).append("true");
            case 2 -> s.append("-".repeat(n)).append("1");
            case 3 -> s.append("true").append(" and true".repeat(n));
            case 4 -> s.append("1").append(" + 1".repeat(n));
            case 5 -> s.append("[".repeat(Math.min(n, 200))).append("1").append("]".repeat(Math.min(n, 200)));
            default -> s.append("\"").append("${1 + ".repeat(Math.min(n, 50))).append("}\"");
        }
        return s.append(' ').toString();
    }

    private String huge() {
        int n = switch (random.nextInt(3)) {
            case 0 -> 60 + random.nextInt(300);
            case 1 -> 1_000 + random.nextInt(10_000);
            default -> 100_000 + random.nextInt(300_000);
        };
        return switch (random.nextInt(5)) {
            case 0 -> " \"" + "a".repeat(n) + "\" ";
            case 1 -> " " + "9".repeat(Math.min(n, 5_000)) + " ";
            case 2 -> " r" + "x".repeat(Math.min(n, 5_000)) + " ";
            case 3 -> " " + "9".repeat(Math.min(n, 40)) + "d ";
            default -> " \"" + "(a|a)*".repeat(Math.min(n / 6, 400)) + "\" ";
        };
    }

    private String odd() {
        StringBuilder s = new StringBuilder();
        int n = 1 + random.nextInt(4);
        for (int i = 0; i < n; i++) {
            int cp = ODD_CODE_POINTS[random.nextInt(ODD_CODE_POINTS.length)];
            s.append(Character.isValidCodePoint(cp) && !(cp >= 0xd800 && cp <= 0xdfff) ? Character.toString(cp) : String.valueOf((char) cp));
        }
        return s.toString();
    }

    private String randomChars(int n) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < n; i++) s.append((char) random.nextInt(random.nextBoolean() ? 128 : 0x3000));
        return s.toString();
    }

    /** Random bytes over part of the file's UTF-8: the load pass must refuse invalid UTF-8 with a position. */
    byte[] corruptBytes(byte[] bytes) {
        byte[] out = bytes.clone();
        if (out.length == 0) return new byte[] {(byte) random.nextInt(256)};
        int n = 1 + random.nextInt(8);
        for (int i = 0; i < n; i++) out[random.nextInt(out.length)] = (byte) random.nextInt(256);
        return out;
    }

    private <T> T pick(List<T> list) {
        return list.get(random.nextInt(list.size()));
    }
}
