package charter.connect.tools;

import charter.connect.ActionRequest;
import charter.connect.AttemptOutcome;
import charter.connect.Connector;
import charter.connect.ToolEndpoint;
import charter.connect.WireRequest;
import charter.connect.http.Exchange;
import charter.connect.http.PreparedRequest;
import charter.connect.http.RateLimitWait;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The common part of every HTTP connector: one prepared request serves both the dry run and the attempt, and
 * the tool's answer is sorted the same way for all (2xx done, rate limits and 5xx retried with the tool's wait,
 * other 4xx failed with the tool's message, a lost answer unknown). Subclasses say what to send and how to read
 * a success and an error.
 */
abstract class HttpConnector implements Connector {
    private static final Logger log = LoggerFactory.getLogger(HttpConnector.class);

    protected final String tool;
    protected final ToolEndpoint endpoint;
    protected final ConnectorContext context;

    HttpConnector(String tool, ToolEndpoint endpoint, ConnectorContext context) {
        this.tool = tool;
        this.endpoint = endpoint;
        this.context = context;
    }

    @Override
    public final String tool() {
        return tool;
    }

    /**
     * The request for this action, its credentials taken from {@code secrets}. Throws {@link InvalidAction} when
     * the arguments or the endpoint's settings cannot make one.
     */
    abstract PreparedRequest prepare(ActionRequest request, Secrets secrets);

    Secrets secrets() {
        return new Secrets(endpoint.credentials());
    }

    /** Reads a 2xx answer. */
    abstract AttemptOutcome done(ActionRequest request, Exchange.Answered answer);

    /** The tool's own words for a failed answer. */
    String errorMessage(Exchange.Answered answer) {
        return snippet(answer.body());
    }

    @Override
    public WireRequest render(ActionRequest request) {
        return prepare(request, secrets()).toWire();
    }

    /** What a search for an earlier attempt's object came to. */
    sealed interface Search {
        record Found(AttemptOutcome.Done done) implements Search {}

        record NotFound() implements Search {}

        /** The tool could not be asked: whether an earlier attempt landed is unknown. */
        record CannotAsk(String reason, Duration retryAfter) implements Search {
            CannotAsk(HttpConnector.CannotAsk failure) {
                this(failure.getMessage(), failure.retryAfter);
            }
        }
    }

    /** A lookup's read failed; carries why, up to {@link #lookup} and {@link #send}. */
    static final class CannotAsk extends Exception {
        /** The tool's own wait when it refused the read for its rate limit, else null. */
        final transient Duration retryAfter;

        CannotAsk(String reason, Duration retryAfter) {
            super(reason, null, false, false);
            this.retryAfter = retryAfter;
        }
    }

    /**
     * Whether this connector marks what it creates and can search for it (the at-least-once-deduplicated tools).
     * Those look before every attempt after the first, so that a retry never duplicates what a lost answer hid,
     * even when the outbox did not call {@link #lookup} (a crash between the attempt and its record).
     */
    boolean searches() {
        return false;
    }

    /** Looks for what an earlier attempt of this action created; only called when {@link #searches()}. */
    Search search(ActionRequest request) throws InterruptedException {
        return new Search.NotFound();
    }

    @Override
    public Optional<AttemptOutcome.Done> lookup(ActionRequest request) throws InterruptedException {
        if (!searches()) return Optional.empty();
        return search(request) instanceof Search.Found found ? Optional.of(found.done()) : Optional.empty();
    }

    @Override
    public AttemptOutcome send(ActionRequest request) throws InterruptedException {
        if (request.attempt() > 1 && searches()) {
            switch (search(request)) {
                case Search.Found found -> {
                    return found.done();
                }
                case Search.CannotAsk cannot -> {
                    // Sending again could duplicate what the lost answer hid: wait until the tool can be asked.
                    return new AttemptOutcome.Retry(0, "could not look for an earlier attempt before trying again: " + cannot.reason(), cannot.retryAfter());
                }
                case Search.NotFound notFound -> {}
            }
        }
        Secrets secrets = secrets();
        PreparedRequest prepared;
        try {
            prepared = prepare(request, secrets);
        } catch (InvalidAction e) {
            return new AttemptOutcome.Failed(0, e.getMessage());
        }
        if (!secrets.missing().isEmpty()) return missingCredential(secrets);
        return outcome(request, context.transport().send(prepared));
    }

    AttemptOutcome.Failed missingCredential(Secrets secrets) {
        return new AttemptOutcome.Failed(0, tool + ": the tenant's endpoint has no " + secrets.missing().getFirst());
    }

    /** The generic reading of an exchange; subclasses whose tool answers errors with 200 refine {@link #done}. */
    AttemptOutcome outcome(ActionRequest request, Exchange exchange) {
        return switch (exchange) {
            case Exchange.Unsendable u -> new AttemptOutcome.Failed(0, u.reason());
            case Exchange.NotSent n -> new AttemptOutcome.Retry(0, n.reason(), null);
            case Exchange.Lost l -> new AttemptOutcome.Unknown(0, l.reason());
            case Exchange.Answered a when a.ok() -> {
                try {
                    yield done(request, a);
                } catch (RuntimeException unreadable) {
                    // The tool said yes; only its description of the result could not be read.
                    log.warn("tenant {} action {}: {} answered {} with a body that could not be read: {}",
                            request.tenant(), request.actionId(), tool, a.status(), unreadable.toString());
                    yield new AttemptOutcome.Done(a.status(), null, null, false);
                }
            }
            case Exchange.Answered a when rateLimited(a) -> new AttemptOutcome.Retry(a.status(),
                    "rate limited: " + errorMessage(a), wait(a));
            case Exchange.Answered a when a.status() >= 500 -> new AttemptOutcome.Retry(a.status(), errorMessage(a), wait(a));
            // 408: the tool gave up waiting for the request; 425: it asks for a replay later. Neither applied it.
            case Exchange.Answered a when a.status() == 408 || a.status() == 425 -> new AttemptOutcome.Retry(a.status(), errorMessage(a), wait(a));
            case Exchange.Answered a -> new AttemptOutcome.Failed(a.status(), errorMessage(a));
        };
    }

    /**
     * Sends one read of a lookup. When the tool cannot be asked, logs it (an earlier attempt may then go unseen
     * and the action be carried out twice) and returns null.
     */
    Exchange.Answered ask(ActionRequest request, PreparedRequest read) throws InterruptedException, CannotAsk {
        Exchange exchange = context.transport().send(read);
        if (exchange instanceof Exchange.Answered a && a.ok()) return a;
        String why = switch (exchange) {
            case Exchange.Answered a -> a.status() + " " + errorMessage(a);
            case Exchange.NotSent n -> n.reason();
            case Exchange.Lost l -> l.reason();
            case Exchange.Unsendable u -> u.reason();
        };
        CannotAsk failure = cannotLook(request, read, why);
        throw exchange instanceof Exchange.Answered a ? new CannotAsk(why, wait(a)) : failure;
    }

    CannotAsk cannotLook(ActionRequest request, PreparedRequest read, String why) {
        log.warn("tenant {} action {}: {} could not look for an earlier attempt ({} {}): {}", request.tenant(), request.actionId(), tool,
                read.method(), read.toWire().target(), why);
        return new CannotAsk(why, null);
    }

    boolean rateLimited(Exchange.Answered answer) {
        return answer.status() == 429
                || (answer.status() == 403 && answer.headers().firstValue("x-ratelimit-remaining").orElse("").equals("0"))
                || (answer.status() == 403 && answer.headers().firstValue("retry-after").isPresent());
    }

    Duration wait(Exchange.Answered answer) {
        return RateLimitWait.from(answer.headers(), context.clock()).orElse(null);
    }

    // ---- building requests ----

    String setting(String name, String fallback) {
        String value = endpoint.settings().get(name);
        return value == null || value.isEmpty() ? fallback : value;
    }

    /** The base URL joined with path segments (each percent-encoded, so an argument cannot leave its segment). */
    URI url(String query, String... segments) {
        StringBuilder out = new StringBuilder(stripSlash(endpoint.baseUrl().toString()));
        for (String segment : segments) {
            if (segment.startsWith("/")) out.append(segment);
            else out.append('/').append(encode(segment).replace("+", "%20"));
        }
        if (query != null && !query.isEmpty()) out.append('?').append(query);
        return URI.create(out.toString());
    }

    static String query(Map<String, String> params) {
        List<String> parts = new ArrayList<>();
        params.forEach((k, v) -> parts.add(encode(k) + "=" + encode(v)));
        return String.join("&", parts);
    }

    static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    PreparedRequest json(String method, URI uri, Map<String, String> headers, JsonNode body) {
        Map<String, String> all = new LinkedHashMap<>(headers);
        String text = "";
        if (body != null) {
            all.put("Content-Type", "application/json; charset=utf-8");
            text = write(body);
        }
        return new PreparedRequest(method, uri, all, text, List.copyOf(endpoint.credentials().values()));
    }

    ObjectNode object() {
        return context.json().createObjectNode();
    }

    String write(JsonNode node) {
        try {
            return context.json().writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree always serialises", e);
        }
    }

    JsonNode read(String body) {
        if (body == null || body.isBlank()) return MissingNode.getInstance();
        try {
            return context.json().readTree(body);
        } catch (JsonProcessingException e) {
            return MissingNode.getInstance();
        }
    }

    static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isMissingNode() || value.isNull() ? null : value.asText();
    }

    static String snippet(String body) {
        if (body == null || body.isBlank()) return "(no body)";
        String flat = body.strip().replaceAll("\\s+", " ");
        return flat.length() > 300 ? flat.substring(0, 300) + "…" : flat;
    }

    private static String stripSlash(String base) {
        return base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    }
}
