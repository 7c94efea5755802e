package charter.engine.ingest;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds issue references in free text (PR titles and bodies, commit messages, comments, branch names):
 * <ul>
 *   <li>Linear keys {@code ENG-123} (upper-case team key of 2–10 characters; a few well-known non-issue
 *       prefixes such as {@code UTF-8}, {@code SHA-256}, {@code ISO-8601}, {@code CVE-…} are ignored);</li>
 *   <li>GitHub issues {@code #123} (in the given repository) and {@code owner/name#123};</li>
 *   <li>GitHub URLs {@code https://github.com/o/r/issues/1} and {@code …/pull/1};</li>
 *   <li>Linear URLs {@code https://linear.app/<ws>/issue/ENG-123/…}.</li>
 * </ul>
 * A reference right after a fixing verb ({@code fix, fixes, fixed, close, closes, closed, resolve,
 * resolves, resolved}, optionally followed by a colon) is {@code fixes}; any other is
 * {@code references}. Each key is reported once, with its strongest kind. At most {@link #MAX_REFS}.
 */
public final class IssueRefs {
    private IssueRefs() {}

    public static final int MAX_REFS = 20;

    /** A reference found in text: relation kind (fixes or references), entity type and key. */
    public record Ref(String kind, String type, String key) {}

    private static final Set<String> NOT_ISSUE_PREFIXES = Set.of("UTF", "SHA", "ISO", "RFC", "CVE", "GHSA", "HTTP",
            "TLS", "SSL", "AES", "RSA", "MD", "X", "UTC", "GMT", "PEP", "JSR", "JEP", "ES", "IPV", "CWE", "COVID");

    private static final String VERB = "(?:(?<verb>fix(?:e[sd])?|close[sd]?|resolve[sd]?)\\s*:?\\s+)?";
    private static final Pattern REF = Pattern.compile("(?i:" + VERB + ")(?:"
            + "https?://github\\.com/(?<urlrepo>[\\w.-]+/[\\w.-]+)/(?<urlkind>issues|pull)/(?<urlnum>\\d+)"
            + "|https?://linear\\.app/[\\w.-]+/issue/(?<linurl>[A-Za-z][A-Za-z0-9]{0,9}-\\d{1,7})"
            + "|(?<![\\w/#-])(?<lin>[A-Z][A-Z0-9]{1,9}-\\d{1,7})(?![\\w-])"
            + "|(?<![\\w/#])(?<ghrepo>[\\w.-]+/[\\w.-]+)?#(?<ghnum>\\d{1,9})\\b"
            + ")");
    private static final Pattern BRANCH_KEY = Pattern.compile("(?:^|/)(?<team>[a-zA-Z]{2,10})-(?<num>\\d{1,7})(?:-|$)");

    /** References in text; {@code repo} (owner/name) resolves bare {@code #123}, may be null. */
    public static List<Ref> scan(String text, String repo) {
        if (text == null || text.isEmpty()) {
            return List.of();
        }
        Map<String, Ref> found = new LinkedHashMap<>();
        Matcher m = REF.matcher(text);
        while (m.find() && found.size() < MAX_REFS) {
            String kind = m.group("verb") != null ? "fixes" : "references";
            String type;
            String key;
            if (m.group("urlrepo") != null) {
                type = m.group("urlkind").equals("pull") ? "pull_request" : "github_issue";
                key = m.group("urlrepo") + "#" + m.group("urlnum");
            } else if (m.group("linurl") != null) {
                type = "linear_issue";
                key = m.group("linurl").toUpperCase(Locale.ROOT);
            } else if (m.group("lin") != null) {
                key = m.group("lin");
                if (NOT_ISSUE_PREFIXES.contains(key.substring(0, key.indexOf('-')))) {
                    continue;
                }
                type = "linear_issue";
            } else {
                String r = m.group("ghrepo") != null ? m.group("ghrepo") : repo;
                if (r == null) {
                    continue;
                }
                type = "github_issue";
                key = r + "#" + m.group("ghnum");
            }
            add(found, new Ref(kind, type, key));
        }
        return List.copyOf(found.values());
    }

    /** A Linear key in a branch name ({@code alice/eng-123-fix-login}); a branch only ever references. */
    public static List<Ref> scanBranch(String branch) {
        if (branch == null) {
            return List.of();
        }
        Matcher m = BRANCH_KEY.matcher(branch);
        if (m.find()) {
            String team = m.group("team").toUpperCase(Locale.ROOT);
            if (!NOT_ISSUE_PREFIXES.contains(team)) {
                return List.of(new Ref("references", "linear_issue", team + "-" + m.group("num")));
            }
        }
        return List.of();
    }

    /** {@code owner/name#n} when the URL is a GitHub pull request URL, else null. */
    public static String pullRequestKey(String url) {
        if (url == null) {
            return null;
        }
        Matcher m = PR_URL.matcher(url.strip());
        return m.matches() ? m.group(1) + "#" + m.group(2) : null;
    }

    private static final Pattern PR_URL = Pattern.compile("https?://(?:www\\.)?github\\.com/([\\w.-]+/[\\w.-]+)/pull/(\\d+)(?:[/?#].*)?");

    static void add(Map<String, Ref> found, Ref r) {
        String k = r.type() + ":" + r.key();
        Ref prev = found.get(k);
        if (prev == null || (prev.kind().equals("references") && r.kind().equals("fixes"))) {
            found.put(k, r);
        }
    }

    /** Merges lists, keeping each key once with its strongest kind. */
    static List<Ref> merge(List<Ref> a, List<Ref> b) {
        Map<String, Ref> found = new LinkedHashMap<>();
        for (Ref r : a) add(found, r);
        for (Ref r : b) add(found, r);
        return new ArrayList<>(found.values());
    }
}
