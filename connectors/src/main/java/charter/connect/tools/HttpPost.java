package charter.connect.tools;

import charter.connect.ActionRequest;
import charter.connect.AttemptOutcome;
import charter.connect.Guarantee;
import charter.connect.ToolEndpoint;
import charter.connect.http.Exchange;
import charter.connect.http.PreparedRequest;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * http.post: the Program's body POSTed to the Program's URL, signed like a webhook and carrying the action id as
 * {@code Idempotency-Key}. The receiver verifies {@code X-Charter-Signature: v1=<hex>}, the HMAC-SHA256 with the
 * tenant's {@code signing_secret} of {@code <X-Charter-Timestamp> + "." + <body>}, and deduplicates by the key.
 *
 * <p>The setting {@code allowed_hosts} (comma-separated; {@code *.example.com} matches subdomains) restricts
 * where a Program may post; without it any http(s) host is allowed.
 */
final class HttpPost extends HttpConnector {
    static final String SIGNATURE = "X-Charter-Signature";
    static final String TIMESTAMP = "X-Charter-Timestamp";

    HttpPost(ToolEndpoint endpoint, ConnectorContext context) {
        super("http.post", endpoint, context);
    }

    @Override
    public Guarantee guarantee() {
        return Guarantee.EXACTLY_ONCE;
    }

    @Override
    PreparedRequest prepare(ActionRequest request, Secrets secrets) {
        Args args = new Args(request);
        URI target = target(args.string("url"));
        String body = args.string("body");
        String timestamp = Long.toString(context.clock().instant().getEpochSecond());
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json; charset=utf-8");
        headers.put("Idempotency-Key", request.actionId());
        headers.put("User-Agent", "charter-connectors");
        headers.put(TIMESTAMP, timestamp);
        headers.put(SIGNATURE, "v1=" + sign(secrets.get("signing_secret"), timestamp, body));
        return new PreparedRequest("POST", target, headers, body, List.copyOf(endpoint.credentials().values()));
    }

    /** The signature a receiver recomputes: HMAC-SHA256 of {@code timestamp + "." + body}, in lower-case hex. */
    public static String sign(String secret, String timestamp, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal((timestamp + "." + body).getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("every JDK has HmacSHA256", e);
        }
    }

    private URI target(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new InvalidAction(tool + ": url is not a URL: " + e.getMessage());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null)
            throw new InvalidAction(tool + ": url must be an absolute http or https URL, not '" + url + "'");
        if (uri.getUserInfo() != null) throw new InvalidAction(tool + ": url must not carry a user name or password");
        String allowed = setting("allowed_hosts", null);
        if (allowed != null && Arrays.stream(allowed.split(",")).map(String::trim).noneMatch(h -> matches(h, uri.getHost())))
            throw new InvalidAction(tool + ": host '" + uri.getHost() + "' is not in the tenant's allowed_hosts");
        return uri;
    }

    private static boolean matches(String pattern, String host) {
        String p = pattern.toLowerCase(Locale.ROOT);
        String h = host.toLowerCase(Locale.ROOT);
        return p.startsWith("*.") ? h.endsWith(p.substring(1)) : p.equals(h);
    }

    /** 409 is what Idempotency-Key receivers answer while a request with the same key is still being processed. */
    @Override
    AttemptOutcome outcome(ActionRequest request, Exchange exchange) {
        if (exchange instanceof Exchange.Answered a && a.status() == 409)
            return new AttemptOutcome.Retry(409, "the receiver is still processing this Idempotency-Key: " + errorMessage(a), wait(a));
        return super.outcome(request, exchange);
    }

    @Override
    AttemptOutcome done(ActionRequest request, Exchange.Answered answer) {
        return new AttemptOutcome.Done(answer.status(), request.actionId(), answer.headers().firstValue("location").orElse(null), false);
    }
}
