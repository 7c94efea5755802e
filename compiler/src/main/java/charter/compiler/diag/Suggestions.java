package charter.compiler.diag;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;

/** "Did you mean" suggestions by edit distance. Stateless. */
public final class Suggestions {
    private Suggestions() {
    }

    /**
     * The candidate closest to {@code input} by Damerau-Levenshtein distance (optimal string
     * alignment, case-insensitive), if it is within a threshold that grows with the input's
     * length: 1 edit up to 4 characters, 2 up to 8, then a third of the length, at most 5. Ties go
     * to the lexicographically smallest candidate, so the answer is deterministic. An exact match
     * is not a suggestion.
     */
    public static Optional<String> closest(String input, Collection<String> candidates) {
        if (input == null || input.isEmpty() || candidates == null) {
            return Optional.empty();
        }
        String in = input.toLowerCase(Locale.ROOT);
        int threshold = threshold(in.length());
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String c : candidates) {
            if (c == null || c.equals(input)) {
                continue;
            }
            if (Math.abs(c.length() - in.length()) > threshold) {
                continue;
            }
            int d = distance(in, c.toLowerCase(Locale.ROOT));
            if (d <= threshold && (d < bestDistance || (d == bestDistance && c.compareTo(best) < 0))) {
                best = c;
                bestDistance = d;
            }
        }
        return Optional.ofNullable(best);
    }

    static int threshold(int length) {
        if (length <= 4) {
            return 1;
        }
        if (length <= 8) {
            return 2;
        }
        return Math.min(5, Math.max(2, length / 3));
    }

    /** Damerau-Levenshtein distance, optimal string alignment variant. */
    public static int distance(String a, String b) {
        int n = a.length();
        int m = b.length();
        int[][] d = new int[n + 1][m + 1];
        for (int i = 0; i <= n; i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= m; j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= n; i++) {
            for (int j = 1; j <= m; j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                int v = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    v = Math.min(v, d[i - 2][j - 2] + 1);
                }
                d[i][j] = v;
            }
        }
        return d[n][m];
    }
}
