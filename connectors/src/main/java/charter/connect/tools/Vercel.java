package charter.connect.tools;

import charter.connect.ActionRequest;
import charter.connect.AttemptOutcome;
import charter.connect.Guarantee;
import charter.connect.ToolEndpoint;
import charter.connect.http.Exchange;
import charter.connect.http.PreparedRequest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The Vercel REST API tools. A deploy creates a deployment and Vercel takes no idempotency key, so the deployment
 * carries the action id in its {@code meta} ({@code charterActionId}) and {@link #lookup} lists the project's
 * recent deployments for it. Rollback and promote set which deployment serves production: repeating one
 * changes nothing.
 *
 * <p>A rollback without a deployment goes back to the previous production deployment, which the connector finds
 * at send time (the dry run shows {@code <previous>} in its place). The setting {@code team_id} adds
 * {@code teamId} to every call; {@code repo:<project>} (owner/name) and {@code ref:<project>} say which GitHub
 * repository and branch a deploy builds.
 */
final class Vercel extends HttpConnector {
    enum Operation { DEPLOY, ROLLBACK, PROMOTE }

    static final String META_KEY = "charterActionId";
    static final String PREVIOUS = "<previous>";

    private final Operation operation;

    Vercel(String tool, Operation operation, ToolEndpoint endpoint, ConnectorContext context) {
        super(tool, endpoint, context);
        this.operation = operation;
    }

    @Override
    public Guarantee guarantee() {
        return operation == Operation.DEPLOY ? Guarantee.AT_LEAST_ONCE_DEDUPLICATED : Guarantee.EXACTLY_ONCE;
    }

    @Override
    PreparedRequest prepare(ActionRequest request, Secrets secrets) {
        return prepare(request, secrets, PREVIOUS);
    }

    private PreparedRequest prepare(ActionRequest request, Secrets secrets, String previous) {
        Args args = new Args(request);
        String project = args.string("project");
        return switch (operation) {
            case DEPLOY -> {
                ObjectNode body = object();
                body.put("name", project);
                body.put("project", project);
                body.put("target", args.string("target"));
                ObjectNode git = body.putObject("gitSource");
                git.put("type", "github");
                String repo = setting("repo:" + project, null);
                if (repo != null && repo.contains("/")) {
                    git.put("org", repo.substring(0, repo.indexOf('/')));
                    git.put("repo", repo.substring(repo.indexOf('/') + 1));
                }
                git.put("ref", setting("ref:" + project, "main"));
                git.put("sha", args.string("sha"));
                body.putObject("meta").put(META_KEY, request.actionId());
                yield json("POST", url(team(Map.of()), "/v13/deployments"), headers(secrets), body);
            }
            case ROLLBACK -> json("POST", url(team(Map.of()), "/v1/projects", project, "rollback",
                    args.optString("deployment").orElse(previous)), headers(secrets), null);
            case PROMOTE -> json("POST", url(team(Map.of()), "/v10/projects", project, "promote",
                    args.string("deployment")), headers(secrets), null);
        };
    }

    private String team(Map<String, String> params) {
        Map<String, String> all = new LinkedHashMap<>(params);
        String team = setting("team_id", null);
        if (team != null) all.put("teamId", team);
        return query(all);
    }

    private Map<String, String> headers(Secrets secrets) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Authorization", "Bearer " + secrets.get("token"));
        return headers;
    }

    @Override
    public AttemptOutcome send(ActionRequest request) throws InterruptedException {
        if (operation != Operation.ROLLBACK || new Args(request).optString("deployment").isPresent()) return super.send(request);
        Secrets secrets = secrets();
        Map<String, String> headers = headers(secrets);
        if (!secrets.missing().isEmpty()) return missingCredential(secrets);
        PreparedRequest prepared;
        try {
            Optional<String> previous = previousProduction(new Args(request).string("project"), headers);
            if (previous.isEmpty()) return new AttemptOutcome.Failed(0, tool + ": no earlier READY production deployment to roll back to");
            prepared = prepare(request, secrets, previous.get());
        } catch (InvalidAction e) {
            return new AttemptOutcome.Failed(0, e.getMessage());
        } catch (LookupFailed e) {
            return e.outcome;
        }
        return outcome(request, context.transport().send(prepared));
    }

    /** The second newest READY production deployment: the newest is the one serving (or being rolled back from). */
    private Optional<String> previousProduction(String project, Map<String, String> headers) throws InterruptedException {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("projectId", project);
        params.put("target", "production");
        params.put("state", "READY");
        params.put("limit", "2");
        Exchange exchange = context.transport().send(json("GET", url(team(params), "/v6/deployments"), headers, null));
        if (!(exchange instanceof Exchange.Answered a) || !a.ok()) throw new LookupFailed(outcome(null, exchange));
        JsonNode deployments = read(a.body()).path("deployments");
        return deployments.size() < 2 ? Optional.empty() : Optional.ofNullable(text(deployments.get(1), "uid"));
    }

    /** A failed look-up before the rollback itself: its outcome is the attempt's. */
    private static final class LookupFailed extends RuntimeException {
        final transient AttemptOutcome outcome;

        LookupFailed(AttemptOutcome outcome) {
            super(null, null, false, false);
            this.outcome = outcome;
        }
    }

    @Override
    AttemptOutcome done(ActionRequest request, Exchange.Answered answer) {
        JsonNode body = read(answer.body());
        if (operation == Operation.DEPLOY) return deployment(answer.status(), body, false);
        String deployment = request.args().get("deployment") == null ? null : request.args().get("deployment").toString();
        return new AttemptOutcome.Done(answer.status(), deployment == null ? new Args(request).string("project") : deployment, null, false);
    }

    private static AttemptOutcome.Done deployment(int status, JsonNode body, boolean deduplicated) {
        String id = text(body, "id") != null ? text(body, "id") : text(body, "uid");
        String host = text(body, "url");
        return new AttemptOutcome.Done(status, id, host == null ? null : host.startsWith("http") ? host : "https://" + host, deduplicated);
    }

    @Override
    String errorMessage(Exchange.Answered answer) {
        JsonNode error = read(answer.body()).path("error");
        String message = text(error, "message");
        if (message == null) return snippet(answer.body());
        String code = text(error, "code");
        return code == null ? message : code + ": " + message;
    }

    @Override
    boolean searches() {
        return operation == Operation.DEPLOY;
    }

    /** Lists the project's newest deployments for one whose meta carries this action's id. */
    @Override
    Search search(ActionRequest request) throws InterruptedException {
        URI uri;
        try {
            Map<String, String> params = new LinkedHashMap<>();
            params.put("projectId", new Args(request).string("project"));
            params.put("limit", "100");
            uri = url(team(params), "/v6/deployments");
        } catch (InvalidAction e) {
            return new Search.NotFound();
        }
        Exchange.Answered a;
        try {
            a = ask(request, json("GET", uri, headers(secrets()), null));
        } catch (CannotAsk e) {
            return new Search.CannotAsk(e);
        }
        for (JsonNode deployment : read(a.body()).path("deployments")) {
            if (request.actionId().equals(text(deployment.path("meta"), META_KEY))) return new Search.Found(deployment(a.status(), deployment, true));
        }
        return new Search.NotFound();
    }
}
