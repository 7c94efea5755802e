package charter.engine.ingest;

import charter.compiler.catalog.Catalog;
import com.fasterxml.jackson.databind.JsonNode;
import charter.engine.event.EventTimes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Vercel deliveries: envelope {@code {id, type, createdAt, payload}}. Type {@code vercel.<type>}
 * (legacy dashed names such as {@code deployment-ready} are read as {@code deployment.ready});
 * delivery id the envelope id; time {@code createdAt} (epoch ms). Git metadata comes from
 * {@code payload.deployment.meta} (githubCommitSha, githubCommitRef, githubCommitOrg/Repo,
 * githubCommitMessage, githubCommitAuthorLogin, githubPrId). A null {@code target} is a preview.
 */
public final class VercelNormaliser extends AbstractNormaliser {

    public VercelNormaliser(Catalog catalog, Payloads.Limits limits) {
        super(catalog, limits);
    }

    /** Over a given parser (tests compare the pruned tree with the whole one). */
    VercelNormaliser(Catalog catalog, Payloads payloads) {
        super(catalog, payloads);
    }

    public VercelNormaliser() {
        this(Catalog.standard(), Payloads.Limits.DEFAULT);
    }

    @Override
    public String source() {
        return "vercel";
    }

    @Override
    public Normalised normalise(RawDelivery d) throws DeliveryException {
        JsonNode root = payloads.parseObject(d.body(), "vercel delivery");
        List<String> warnings = new ArrayList<>();
        String id = optString(root, "id", "vercel delivery");
        if (id == null || id.isBlank()) {
            id = "sha256-" + contentHash(d.body());
            warnings.add("no envelope id; delivery id derived from the body: " + id);
        }
        String what = "vercel delivery " + id;
        String kind = optString(root, "type", what);
        if (kind == null) {
            throw new DeliveryException(DeliveryException.MISSING_FIELD, what + ": missing envelope 'type' (e.g. deployment.created)");
        }
        JsonNode payload = requireObject(root, "payload", what);
        Instant time = createdAt(root, what, d.receivedAt(), warnings);

        String local = kind.strip().toLowerCase(Locale.ROOT).replace('-', '.');
        String type = DOTTED_WORDS.matcher(local).matches() && catalog.eventType("vercel." + local).isPresent()
                ? "vercel." + local : "vercel.unknown";
        EventDraft ev = new EventDraft(catalog, "vercel", type, id, time);
        warnings.forEach(ev::warn);
        String project = firstText(payload, new String[] {"name"}, new String[] {"deployment", "name"}, new String[] {"project", "name"});
        ev.put("project", project);
        ev.put("project_id", payload, "project", "id");
        ev.put("team_id", payload, "team", "id");
        ev.put("creator", firstText(payload, new String[] {"user", "username"}, new String[] {"user", "id"}));
        if (type.equals("vercel.unknown")) {
            ev.warn("unknown Vercel event '" + Json.abbreviate(kind) + "': kept as vercel.unknown");
            ev.put("event", kind);
        } else if (local.startsWith("deployment.")) {
            deployment(ev, payload, local.substring("deployment.".length()), what);
        }
        if (project != null) {
            ev.claim("vercel_project", project, "project_id", ev.get("project_id"));
            ev.claim("vercel_project", project, "repo", ev.get("repo"));
        }
        return ev.build();
    }

    private void deployment(EventDraft ev, JsonNode payload, String status, String what) throws DeliveryException {
        JsonNode dep = requireObject(payload, "deployment", what);
        JsonNode meta = optObject(dep, "meta", what);
        ev.put("deployment_id", dep, "id");
        String target = Json.text(payload, "target");
        ev.put("target", target == null ? "preview" : target);
        String url = firstText(payload, new String[] {"url"}, new String[] {"deployment", "url"});
        ev.put("url", url == null || url.startsWith("http") ? url : "https://" + url);
        ev.put("inspector_url", firstText(payload, new String[] {"deployment", "inspectorUrl"}, new String[] {"links", "deployment"}));
        ev.put("branch", firstText(meta, new String[] {"githubCommitRef"}, new String[] {"gitlabCommitRef"}, new String[] {"bitbucketCommitRef"}));
        String shaText = firstText(meta, new String[] {"githubCommitSha"}, new String[] {"gitlabCommitSha"}, new String[] {"bitbucketCommitSha"});
        String sha = EventDraft.sha(shaText);
        if (shaText != null && sha == null) {
            ev.warn("meta commit SHA '" + Json.abbreviate(shaText) + "' is not 40-hex; left out");
        }
        ev.put("sha", sha);
        String org = firstText(meta, new String[] {"githubCommitOrg"}, new String[] {"githubOrg"});
        String repoName = firstText(meta, new String[] {"githubCommitRepo"}, new String[] {"githubRepo"});
        String repo = org != null && repoName != null ? org + "/" + repoName : null;
        ev.put("repo", repo);
        ev.put("message", meta, "githubCommitMessage");
        ev.put("commit_author", firstText(meta, new String[] {"githubCommitAuthorLogin"}, new String[] {"githubCommitAuthorName"}));
        ev.put("pr", meta, "githubPrId");
        JsonNode regions = Json.at(payload, "regions");
        if (regions != null && regions.isArray() && !regions.isEmpty()) {
            ev.put("region", regions.get(0).asText());
        }
        if (status.equals("error")) {
            ev.put("error_message", firstText(payload, new String[] {"deployment", "errorMessage"}, new String[] {"errorMessage"}));
            ev.put("error_code", firstText(payload, new String[] {"deployment", "errorCode"}, new String[] {"errorCode"}));
        }

        String key = ev.str("deployment_id");
        String branch = ev.str("branch");
        ev.claimFields("deployment", key, "project", "target", "sha", "branch", "url", "creator");
        ev.claim("deployment", key, "status", status);
        ev.relate("deployment", key, "deploys", "commit", sha);
        ev.relate("deployment", key, "belongs_to", "vercel_project", ev.str("project"));
        ev.relate("deployment", key, "authored_by", "person", ev.str("creator"));
        if (sha != null) {
            ev.claim("commit", sha, "repo", repo);
            ev.claim("commit", sha, "message", ev.get("message"));
            ev.claim("commit", sha, "author", ev.get("commit_author"));
            ev.claim("commit", sha, "branch", branch);
        }
        if (repo != null && branch != null) {
            ev.relate("commit", sha, "part_of", "branch", repo + ":" + branch);
            ev.relate("branch", repo + ":" + branch, "belongs_to", "repository", repo);
        }
        if (repo != null && ev.get("pr") != null) {
            String pr = repo + "#" + ((Double) ev.get("pr")).longValue();
            ev.relate("deployment", key, "references", "pull_request", pr);
            ev.relate("commit", sha, "part_of", "pull_request", pr);
        }
    }

    private static Instant createdAt(JsonNode root, String what, Instant fallback, List<String> warnings) throws DeliveryException {
        JsonNode c = Json.at(root, "createdAt");
        if (c != null && c.isIntegralNumber()) {
            Instant t = c.canConvertToLong() ? EventTimes.ofEpochMilli(c.longValue()) : null;
            if (t == null) {
                throw new DeliveryException(DeliveryException.TIME_OUT_OF_RANGE, what + ": 'createdAt' " + Json.abbreviate(c.toString())
                        + " (epoch ms) is outside the range Charter accepts (" + EventTimes.EARLIEST + " to " + EventTimes.LATEST + ")");
            }
            return t;
        }
        if (c != null && c.isTextual()) {
            Instant t = EventDraft.instant(c.textValue());
            if (t != null) {
                return t;
            }
            if (DIGITS.matcher(c.textValue().strip()).matches()) {
                return Instant.ofEpochMilli(Long.parseLong(c.textValue().strip()));
            }
        }
        warnings.add(c == null ? "no createdAt; time of receipt used"
                : "createdAt is " + Json.kind(c) + " " + Json.abbreviate(c.toString()) + ", not epoch ms; time of receipt used");
        return fallback;
    }

    private static String firstText(JsonNode root, String[]... paths) {
        for (String[] p : paths) {
            String v = Json.text(root, p);
            if (v != null) {
                return v;
            }
        }
        return null;
    }
}
