package charter.connect.fake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Vercel's REST API for the vercel.* tools: create a deployment ({@code POST /v13/deployments}), list them
 * ({@code GET /v6/deployments}, newest first, filtered by projectId, target and state), roll back
 * ({@code POST /v1/projects/{project}/rollback/{deployment}}) and promote
 * ({@code POST /v10/projects/{project}/promote/{deployment}}). Errors in Vercel's {@code {error: {code, message}}}.
 * Deployments are READY at once; rollback and promote set which one serves the project's production.
 */
public final class FakeVercel extends FakeTool {
    private static final Pattern ROLLBACK = Pattern.compile("/v1/projects/([^/]+)/rollback/([^/]+)");
    private static final Pattern PROMOTE = Pattern.compile("/v10/projects/([^/]+)/promote/([^/]+)");

    /** A deployment. */
    public record Deployment(String uid, String project, String target, String sha, Map<String, String> meta, long created) {}

    private final String token;
    private final List<Deployment> deployments = new ArrayList<>();
    private final Map<String, String> production = new LinkedHashMap<>();
    private long clock = 1_700_000_000_000L;

    public FakeVercel(int port, String token) {
        super(port);
        this.token = token;
    }

    public FakeVercel(String token) {
        this(0, token);
    }

    public synchronized List<Deployment> deployments() {
        return List.copyOf(deployments);
    }

    /** The deployment serving the project's production, or null. */
    public synchronized String production(String project) {
        return production.get(project);
    }

    /** Adds a READY deployment (as a push would); a production one starts serving. */
    public synchronized String seed(String project, String target) {
        Deployment d = add(project, target, "seed", Map.of());
        return d.uid();
    }

    private Deployment add(String project, String target, String sha, Map<String, String> meta) {
        clock += 1000;
        Deployment d = new Deployment("dpl_" + Long.toString(clock, 36), project, target, sha, meta, clock);
        deployments.add(d);
        if ("production".equals(target)) production.put(project, d.uid());
        return d;
    }

    @Override
    protected Reply handle(Received request) {
        if (!("Bearer " + token).equals(request.header("authorization"))) return error(403, "forbidden", "Not authorized");
        Matcher m;
        if (request.path().equals("/v13/deployments") && request.method().equals("POST")) return create(parse(request.body()));
        if (request.path().equals("/v6/deployments") && request.method().equals("GET")) return list(request);
        if ((m = ROLLBACK.matcher(request.path())).matches() && request.method().equals("POST")) return serve(groups(m), 201);
        if ((m = PROMOTE.matcher(request.path())).matches() && request.method().equals("POST")) return serve(groups(m), 201);
        return error(404, "not_found", "The requested path was not found");
    }

    private Reply create(JsonNode body) {
        if (body == null || body.path("name").asText("").isEmpty()) return error(400, "bad_request", "Invalid request: missing required property `name`.");
        String target = body.path("target").asText("preview");
        if (!target.equals("production") && !target.equals("preview") && !target.equals("staging"))
            return error(400, "bad_request", "Invalid request: `target` should be equal to one of the allowed values.");
        Map<String, String> meta = new LinkedHashMap<>();
        body.path("meta").properties().forEach(e -> meta.put(e.getKey(), e.getValue().asText()));
        Deployment d = add(body.path("project").asText(body.path("name").asText()), target, body.path("gitSource").path("sha").asText(""), meta);
        ObjectNode answer = shape(d);
        answer.put("id", d.uid()).put("readyState", "QUEUED");
        return Reply.json(200, write(answer));
    }

    private Reply list(Received request) {
        String project = request.param("projectId");
        String target = request.param("target");
        String state = request.param("state");
        int limit = request.param("limit") == null ? 20 : Integer.parseInt(request.param("limit"));
        ArrayNode out = array();
        deployments.reversed().stream()
                .filter(d -> project == null || d.project().equals(project))
                .filter(d -> target == null || target.equals(d.target()))
                .filter(d -> state == null || state.contains("READY"))
                .limit(limit)
                .forEach(d -> out.add(shape(d)));
        ObjectNode answer = object();
        answer.set("deployments", out);
        answer.putObject("pagination").put("count", out.size()).putNull("next").putNull("prev");
        return Reply.json(200, write(answer));
    }

    private Reply serve(List<String> g, int status) {
        String project = g.get(0);
        String uid = g.get(1);
        if (deployments.stream().noneMatch(d -> d.uid().equals(uid) && d.project().equals(project)))
            return error(404, "not_found", "Deployment " + uid + " not found");
        production.put(project, uid);
        return Reply.json(status, "{}");
    }

    private static ObjectNode shape(Deployment d) {
        ObjectNode node = object().put("uid", d.uid()).put("name", d.project()).put("url", d.project() + "-" + d.uid().substring(4) + ".vercel.app")
                .put("created", d.created()).put("state", "READY");
        if (d.target() == null) node.putNull("target");
        else node.put("target", d.target());
        ObjectNode meta = node.putObject("meta");
        d.meta().forEach(meta::put);
        return node;
    }

    static Reply error(int status, String code, String message) {
        ObjectNode body = object();
        body.putObject("error").put("code", code).put("message", message);
        return Reply.json(status, write(body));
    }

    /** Vercel's answer over its rate limit: 429 with the reset time in epoch seconds. */
    public static Fault rateLimited(long resetEpochSeconds) {
        return new Fault.Status(429, Map.of("X-RateLimit-Limit", "100", "X-RateLimit-Remaining", "0",
                "X-RateLimit-Reset", Long.toString(resetEpochSeconds), "Content-Type", "application/json"),
                "{\"error\":{\"code\":\"rate_limited\",\"message\":\"Rate limit exceeded\"}}");
    }
}
