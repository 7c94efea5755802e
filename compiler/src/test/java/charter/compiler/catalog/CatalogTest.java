package charter.compiler.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CatalogTest {
    private final Catalog catalog = Catalog.load();

    @Test
    void everyResourceLoadsAndEachSourceHasItsEvents() {
        assertEquals(Set.of("github", "vercel", "linear", "sentry"), catalog.sources());
        for (String name : List.of("github.push", "github.pull_request.opened", "github.pull_request.closed",
                "github.pull_request_review.submitted", "github.issues.opened", "github.issue_comment.created",
                "github.release.published", "github.deployment.created", "github.deployment_status.created",
                "github.check_run.completed", "github.check_suite.completed", "github.workflow_run.completed",
                "github.status", "github.create", "github.delete",
                "vercel.deployment.created", "vercel.deployment.succeeded", "vercel.deployment.ready",
                "vercel.deployment.error", "vercel.deployment.canceled", "vercel.project.created", "vercel.project.removed",
                "linear.issue.created", "linear.issue.updated", "linear.issue.removed",
                "linear.comment.created", "linear.comment.updated", "linear.comment.removed",
                "linear.project.created", "linear.project_update.created", "linear.cycle.updated",
                "linear.attachment.created", "linear.issue_label.removed", "linear.reaction.created",
                "sentry.issue.created", "sentry.issue.resolved", "sentry.issue.assigned", "sentry.issue.ignored",
                "sentry.issue.unresolved", "sentry.error.created", "sentry.event_alert.triggered",
                "sentry.metric_alert.critical", "sentry.metric_alert.warning", "sentry.metric_alert.resolved",
                "sentry.comment.created", "sentry.comment.updated", "sentry.comment.deleted",
                "sentry.installation.created", "sentry.installation.deleted")) {
            assertTrue(catalog.eventType(name).isPresent(), name);
        }
        for (String source : catalog.sources()) {
            assertTrue(catalog.eventTypesOf(source).size() >= 7, source);
        }
    }

    @Test
    void eventTypesAreWellFormed() {
        Set<String> names = new HashSet<>();
        for (EventTypeSpec e : catalog.eventTypes()) {
            assertTrue(names.add(e.name()), "duplicate " + e.name());
            assertTrue(e.name().startsWith(e.source() + "."), e.name());
            assertFalse(e.description().isBlank(), e.name());
            assertTrue(e.defaultSignificance() >= 0 && e.defaultSignificance() <= 100, e.name());
            assertEquals(EventTypeSpec.COMMON_FIELDS, List.copyOf(e.fields().keySet()).subList(0, 5), e.name());
            assertFalse(e.dataFields().isEmpty(), e.name());
            for (EntityRefSpec r : e.entities()) {
                assertTrue(catalog.entityType(r.type()).isPresent(), e.name() + " -> " + r.type());
                r.keyFields().forEach(f -> assertTrue(e.fields().containsKey(f), e.name() + " " + f));
            }
        }
    }

    @Test
    void fieldsUsedByRulesHaveTheirTypes() {
        EventTypeSpec pr = catalog.eventType("github.pull_request.closed").orElseThrow();
        assertEquals(FieldType.BOOL, pr.fields().get("merged").type());
        assertEquals(FieldType.NUMBER, pr.fields().get("additions").type());
        assertEquals(FieldType.LIST_STRING, pr.fields().get("labels").type());
        assertEquals(FieldType.TIME, pr.fields().get("time").type());
        EventTypeSpec push = catalog.eventType("github.push").orElseThrow();
        assertEquals(FieldType.BOOL, push.field("forced").orElseThrow().type());
        EventTypeSpec dpl = catalog.eventType("vercel.deployment.error").orElseThrow();
        assertEquals(FieldType.STRING, dpl.field("target").orElseThrow().type());
        assertTrue(dpl.field("error_message").isPresent());
        assertEquals(70, dpl.defaultSignificance());
        assertEquals(Set.of("deployment", "commit", "vercel_project", "repository", "branch", "person", "pull_request"),
                new HashSet<>(dpl.entities().stream().map(EntityRefSpec::type).toList()));
        assertEquals(FieldType.NUMBER, catalog.eventType("linear.issue.updated").orElseThrow().field("priority").orElseThrow().type());
        assertEquals("string", catalog.eventType("sentry.issue.created").orElseThrow().field("level").orElseThrow().type().displayName());
    }

    @Test
    void entityTypes() {
        for (String t : List.of("repository", "branch", "commit", "pull_request", "review", "github_issue", "linear_issue",
                "comment", "release", "deployment", "vercel_project", "sentry_issue", "alert", "person", "team", "cycle",
                "label", "check_run", "workflow_run", "project", "service")) {
            EntityTypeSpec spec = catalog.entityType(t).orElseThrow(() -> new AssertionError(t));
            assertFalse(spec.keyFormat().isBlank(), t);
        }
        assertEquals(FieldType.NUMBER, catalog.entityType("linear_issue").orElseThrow().attributes().get("priority").type());
    }

    @Test
    void entityKeyTemplatesRender() {
        EntityRefSpec ref = new EntityRefSpec("pull_request", "{repo}#{number}", "");
        assertEquals(List.of("repo", "number"), ref.keyFields());
        assertEquals("acme/api#42", ref.render(Map.<String, Object>of("repo", "acme/api", "number", 42.0)::get).orElseThrow());
        assertTrue(ref.render(Map.<String, Object>of("repo", "acme/api")::get).isEmpty());
    }

    @Test
    void toolLookups() {
        ToolSpec slack = catalog.tool("slack.post").orElseThrow();
        assertEquals(List.of("channel", "text"), slack.params().stream().map(ToolParam::name).toList());
        assertTrue(slack.params().stream().allMatch(ToolParam::required));
        ToolSpec create = catalog.tool("linear.create_issue").orElseThrow();
        assertEquals(FieldType.TEAM, create.param("team").orElseThrow().type());
        assertTrue(create.param("team").orElseThrow().required());
        assertFalse(create.param("priority").orElseThrow().required());
        assertEquals(FieldType.LIST_STRING, create.param("labels").orElseThrow().type());
        assertEquals(List.of("team", "title"), create.requiredParams().stream().map(ToolParam::name).toList());
        assertEquals(FieldType.PERSON, catalog.tool("linear.assign").orElseThrow().param("assignee").orElseThrow().type());
        for (String t : List.of("linear.comment", "pagerduty.page", "github.comment", "github.add_label",
                "github.request_review", "github.create_issue", "vercel.deploy", "vercel.rollback", "vercel.promote",
                "sentry.assign", "sentry.resolve", "http.post", "email.send")) {
            assertTrue(catalog.tool(t).isPresent(), t);
        }
        assertTrue(catalog.tool("slack.pst").isEmpty());
        assertEquals(16, catalog.tools().size());
    }

    @Test
    void fieldTypesParse() {
        for (FieldType t : FieldType.values()) {
            assertEquals(t, FieldType.parse(t.displayName()).orElseThrow());
        }
        assertEquals(FieldType.LIST_STRING, FieldType.parse(" list< string > ").orElseThrow());
        assertTrue(FieldType.parse("int").isEmpty());
        assertTrue(FieldType.TEAM.accepts(FieldType.STRING));
        assertFalse(FieldType.STRING.accepts(FieldType.NUMBER));
    }

    @Test
    void standardIsShared() {
        assertTrue(Catalog.standard() == Catalog.standard());
    }

    // ---- malformed resources

    private static Map<String, String> minimal(String events) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("entities.yaml", "entities:\n  repository: {description: r, key: \"<o>/<n>\", attributes: {url: string}}\n");
        m.put("tools.yaml", "tools:\n  slack.post: {description: post, params: {channel: {type: string, required: true}}}\n");
        m.put("x.yaml", events);
        return m;
    }

    private static CatalogException fails(String events) {
        return assertThrows(CatalogException.class, () -> Catalog.parse(minimal(events)));
    }

    @Test
    void minimalCatalogParses() {
        Catalog c = Catalog.parse(minimal("source: x\nevents:\n  x.thing.done:\n    description: d\n    significance: 5\n"
                + "    fields: {repo: string}\n    entities: [{type: repository, key: \"{repo}\"}]\n"));
        assertEquals(6, c.eventType("x.thing.done").orElseThrow().fields().size());
    }

    @Test
    void aToolParameterMayListTheOnlyValuesItsApiTakes() {
        assertEquals(List.of("critical", "error", "warning", "info"),
                catalog.tool("pagerduty.page").orElseThrow().params().stream().filter(p -> p.name().equals("severity")).findFirst().orElseThrow().values());
        Map<String, String> m = minimal("source: x\nevents: {}\n");
        m.put("tools.yaml", "tools:\n  slack.post: {description: post, params: {n: {type: number, values: [a]}}}\n");
        CatalogException e = assertThrows(CatalogException.class, () -> Catalog.parse(m));
        assertEquals("tools.slack.post.params.n.values", e.key());
        m.put("tools.yaml", "tools:\n  slack.post: {description: post, params: {n: {type: string, values: []}}}\n");
        e = assertThrows(CatalogException.class, () -> Catalog.parse(m));
        assertTrue(e.getMessage().contains("non-empty list of strings"), e.getMessage());
    }

    @Test
    void malformedResourcesNameFileAndKey() {
        CatalogException e = fails("source: x\nevents:\n  x.a:\n    description: d\n    significance: 5\n    fields: {n: integer}\n");
        assertEquals("x.yaml", e.file());
        assertEquals("events.x.a.fields.n", e.key());
        assertTrue(e.getMessage().contains("unknown type 'integer'"), e.getMessage());

        e = fails("source: x\nevents:\n  y.a: {description: d, significance: 5, fields: {n: string}}\n");
        assertEquals("events.y.a", e.key());
        e = fails("source: x\nevents:\n  x.a: {description: d, significance: 500, fields: {n: string}}\n");
        assertEquals("events.x.a.significance", e.key());
        e = fails("source: x\nevents:\n  x.a: {description: d, significance: 5, fields: {n: string}, entities: [{type: repo, key: \"{n}\"}]}\n");
        assertTrue(e.getMessage().contains("unknown entity type 'repo'"));
        e = fails("source: x\nevents:\n  x.a: {description: d, significance: 5, fields: {n: string}, entities: [{type: repository, key: \"{m}\"}]}\n");
        assertTrue(e.getMessage().contains("unknown field 'm'"));
        e = fails("source: x\nevents:\n  x.a: {description: d, significance: 5, fields: {time: time}}\n");
        assertTrue(e.getMessage().contains("common field"));
        e = fails("source: x\nevents:\n  x.a: {description: d, significance: 5, fields: {n: team}}\n");
        assertTrue(e.getMessage().contains("only allowed for tool parameters"));
        e = fails("source: x\nevents:\n  x.a: {description: d, significance: 5, fields: {n: string}}\n  x.a: {description: d, significance: 5, fields: {n: string}}\n");
        assertTrue(e.getMessage().contains("x.yaml") && e.getMessage().contains("invalid YAML"), e.getMessage());
        e = fails("source: x\nevents: [oops\n");
        assertTrue(e.getMessage().startsWith("x.yaml: invalid YAML"), e.getMessage());
        e = fails("source: x\nevents:\n  x.a: {description: d, significance: 5, fields: {n: string}, colour: red}\n");
        assertEquals("events.x.a.colour", e.key());
    }

    @Test
    void duplicateEventTypesAcrossFiles() {
        Map<String, String> m = minimal("source: x\nevents:\n  x.a: {description: d, significance: 5, fields: {n: string}}\n");
        m.put("y.yaml", "source: x\nevents:\n  x.a: {description: d, significance: 5, fields: {n: string}}\n");
        CatalogException e = assertThrows(CatalogException.class, () -> Catalog.parse(m));
        assertTrue(e.getMessage().contains("duplicate event type, already defined in x.yaml"), e.getMessage());
    }
}
