package charter.connect.tools;

import charter.connect.Connector;
import charter.connect.ToolEndpoint;
import java.net.URI;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * Every catalog tool's connector, with the vendor's API root used when the endpoint names none. A base URL is
 * the API's root as the vendor documents it: {@code https://slack.com/api}, {@code https://sentry.io/api/0}.
 */
public final class ToolConnectors {
    private ToolConnectors() {}

    private record Maker(URI defaultBase, BiFunction<ToolEndpoint, ConnectorContext, Connector> make) {}

    private static final URI SLACK = URI.create("https://slack.com/api");
    private static final URI LINEAR = URI.create("https://api.linear.app");
    private static final URI PAGERDUTY = URI.create("https://events.pagerduty.com");
    private static final URI GITHUB = URI.create("https://api.github.com");
    private static final URI VERCEL = URI.create("https://api.vercel.com");
    private static final URI SENTRY = URI.create("https://sentry.io/api/0");

    private static final Map<String, Maker> MAKERS = Map.ofEntries(
            Map.entry("slack.post", new Maker(SLACK, SlackPost::new)),
            Map.entry("linear.create_issue", new Maker(LINEAR, (e, c) -> new Linear("linear.create_issue", Linear.Operation.CREATE_ISSUE, e, c))),
            Map.entry("linear.comment", new Maker(LINEAR, (e, c) -> new Linear("linear.comment", Linear.Operation.COMMENT, e, c))),
            Map.entry("linear.assign", new Maker(LINEAR, (e, c) -> new Linear("linear.assign", Linear.Operation.ASSIGN, e, c))),
            Map.entry("pagerduty.page", new Maker(PAGERDUTY, PagerDutyPage::new)),
            Map.entry("github.comment", new Maker(GITHUB, (e, c) -> new GitHub("github.comment", GitHub.Operation.COMMENT, e, c))),
            Map.entry("github.add_label", new Maker(GITHUB, (e, c) -> new GitHub("github.add_label", GitHub.Operation.ADD_LABEL, e, c))),
            Map.entry("github.request_review", new Maker(GITHUB, (e, c) -> new GitHub("github.request_review", GitHub.Operation.REQUEST_REVIEW, e, c))),
            Map.entry("github.create_issue", new Maker(GITHUB, (e, c) -> new GitHub("github.create_issue", GitHub.Operation.CREATE_ISSUE, e, c))),
            Map.entry("vercel.deploy", new Maker(VERCEL, (e, c) -> new Vercel("vercel.deploy", Vercel.Operation.DEPLOY, e, c))),
            Map.entry("vercel.rollback", new Maker(VERCEL, (e, c) -> new Vercel("vercel.rollback", Vercel.Operation.ROLLBACK, e, c))),
            Map.entry("vercel.promote", new Maker(VERCEL, (e, c) -> new Vercel("vercel.promote", Vercel.Operation.PROMOTE, e, c))),
            Map.entry("sentry.assign", new Maker(SENTRY, (e, c) -> new Sentry("sentry.assign", Sentry.Operation.ASSIGN, e, c))),
            Map.entry("sentry.resolve", new Maker(SENTRY, (e, c) -> new Sentry("sentry.resolve", Sentry.Operation.RESOLVE, e, c))),
            // http.post's target is the Program's URL; the base URL is not used.
            Map.entry("http.post", new Maker(URI.create("https://localhost"), HttpPost::new)),
            // email.send has no public default: the tenant names its SMTP server.
            Map.entry("email.send", new Maker(null, EmailSend::new)));

    public static java.util.Set<String> tools() {
        return MAKERS.keySet();
    }

    public static Connector create(String tool, ToolEndpoint endpoint, ConnectorContext context) {
        Maker maker = MAKERS.get(tool);
        if (maker == null) return null;
        ToolEndpoint effective = endpoint.baseUrl() != null || maker.defaultBase() == null ? endpoint
                : new ToolEndpoint(maker.defaultBase(), endpoint.credentials(), endpoint.settings());
        return maker.make().apply(effective, context);
    }
}
