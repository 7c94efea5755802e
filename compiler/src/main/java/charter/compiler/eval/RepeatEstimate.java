package charter.compiler.eval;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * An upper estimate of how many instructions a pattern expands to once its counted
 * repeats `{n}`, `{n,m}`, `{n,}` are unrolled, read from the text without compiling
 * it: `((a{100}){100}){100}` is a million instructions and costs RE2J seconds to
 * compile, so it is refused before. Syntax it does not understand counts as one atom;
 * RE2J's own parser has the last word on validity.
 */
final class RepeatEstimate {
    private static final long CAP = 1L << 40;

    private RepeatEstimate() {}

    static long of(String p) {
        Deque<Long> outer = new ArrayDeque<>();
        long total = 0;
        long atom = 0;
        int n = p.length();
        for (int i = 0; i < n; i++) {
            char c = p.charAt(i);
            switch (c) {
                case '\\' -> {
                    total = add(total, atom);
                    atom = 1;
                    i++;
                    if (i + 1 < n && "pPx".indexOf(p.charAt(i)) >= 0 && p.charAt(i + 1) == '{') {
                        int close = p.indexOf('}', i + 1);
                        i = close < 0 ? n : close;
                    }
                }
                case '[' -> {
                    total = add(total, atom);
                    atom = 1;
                    i = endOfClass(p, i);
                }
                case '(' -> {
                    total = add(total, atom);
                    outer.push(total);
                    total = 0;
                    atom = 0;
                }
                case ')' -> {
                    total = add(total, atom);
                    long group = add(total, 1);
                    total = outer.isEmpty() ? 0 : outer.pop();
                    atom = group;
                }
                case '{' -> {
                    int close = p.indexOf('}', i);
                    long count = close < 0 ? -1 : count(p.substring(i + 1, close));
                    if (count < 0) {
                        total = add(total, atom);
                        atom = 1;
                    } else {
                        atom = atom > CAP / Math.max(count, 1) ? CAP : atom * Math.max(count, 1);
                        i = close;
                    }
                }
                case '*', '+', '?' -> { }
                case '|' -> {
                    total = add(total, atom);
                    atom = 0;
                }
                default -> {
                    total = add(total, atom);
                    atom = 1;
                }
            }
        }
        total = add(total, atom);
        while (!outer.isEmpty()) total = add(total, outer.pop());
        return total;
    }

    /** The largest count a `{...}` body allows, or -1 when it is not a repeat (then the brace is a literal). */
    private static long count(String body) {
        String[] parts = body.split(",", -1);
        if (parts.length > 2 || parts[0].isEmpty() || !digits(parts[0])) return -1;
        if (parts.length == 2 && !parts[1].isEmpty() && !digits(parts[1])) return -1;
        long low = parse(parts[0]);
        if (parts.length == 1) return low;
        return parts[1].isEmpty() ? add(low, 1) : Math.max(low, parse(parts[1]));
    }

    private static boolean digits(String s) {
        return s.chars().allMatch(ch -> ch >= '0' && ch <= '9');
    }

    private static long parse(String digits) {
        return digits.length() > 9 ? CAP : Long.parseLong(digits);
    }

    private static int endOfClass(String p, int open) {
        int j = open + 1;
        if (j < p.length() && p.charAt(j) == '^') j++;
        if (j < p.length() && p.charAt(j) == ']') j++;
        while (j < p.length() && p.charAt(j) != ']') {
            if (p.charAt(j) == '\\') j += 2;
            else if (p.startsWith("[:", j)) {
                int close = p.indexOf(":]", j + 2);
                j = close < 0 ? j + 1 : close + 2;
            } else j++;
        }
        return Math.min(j, p.length());
    }

    private static long add(long a, long b) {
        return Math.min(CAP, a + b);
    }
}
