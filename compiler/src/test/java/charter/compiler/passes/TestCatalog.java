package charter.compiler.passes;

import charter.compiler.types.Type;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A small catalog for tests: a few event types of each source, one entity, four tools. */
public final class TestCatalog implements TypeCatalog {
    private static final Type LIST_STRING = new Type.ListOf(Type.STRING);

    private final Map<String, Map<String, Type>> events = new LinkedHashMap<>();
    private final Map<String, Map<String, Type>> entities = new LinkedHashMap<>();
    private final Map<String, List<ToolParamType>> tools = new LinkedHashMap<>();

    public TestCatalog() {
        event("vercel.deployment.error", "project", Type.STRING, "target", Type.STRING, "url", Type.STRING,
                "sha", Type.STRING, "branch", Type.STRING);
        event("sentry.issue.created", "issue_id", Type.STRING, "project", Type.STRING, "level", Type.STRING,
                "title", Type.STRING, "assignee", Type.PERSON);
        event("sentry.issue.assigned", "issue_id", Type.STRING, "assignee", Type.PERSON);
        event("github.pull_request.opened", "repo", Type.STRING, "number", Type.NUMBER, "author", Type.PERSON,
                "additions", Type.NUMBER, "deletions", Type.NUMBER, "labels", LIST_STRING, "draft", Type.BOOL);
        entities.put("deployment", Map.of("id", Type.STRING, "status", Type.STRING, "project", Type.STRING));
        tools.put("slack.post", List.of(required("channel", Type.STRING), required("text", Type.STRING)));
        tools.put("linear.create_issue", List.of(required("team", Type.TEAM), required("title", Type.STRING),
                new ToolParamType("priority", Type.NUMBER, false)));
        tools.put("pagerduty.page", List.of(required("team", Type.TEAM), new ToolParamType("summary", Type.STRING, false),
                new ToolParamType("severity", Type.STRING, false, List.of("critical", "error", "warning", "info"))));
        tools.put("vercel.deploy", List.of(required("project", Type.STRING), required("sha", Type.STRING), required("target", Type.STRING)));
    }

    private void event(String name, Object... fieldsAndTypes) {
        Map<String, Type> fields = new LinkedHashMap<>();
        fields.put("id", Type.STRING);
        fields.put("source", Type.STRING);
        fields.put("type", Type.STRING);
        fields.put("time", Type.TIME);
        fields.put("significance", Type.NUMBER);
        for (int i = 0; i < fieldsAndTypes.length; i += 2) fields.put((String) fieldsAndTypes[i], (Type) fieldsAndTypes[i + 1]);
        events.put(name, Map.copyOf(fields));
    }

    private static ToolParamType required(String name, Type type) {
        return new ToolParamType(name, type, true);
    }

    @Override
    public Optional<Map<String, Type>> eventFields(String eventType) {
        return Optional.ofNullable(events.get(eventType));
    }

    @Override
    public Optional<Map<String, Type>> entityFields(String entityType) {
        return Optional.ofNullable(entities.get(entityType));
    }

    @Override
    public Collection<String> eventTypeNames() {
        return events.keySet();
    }

    @Override
    public Collection<String> entityTypeNames() {
        return entities.keySet();
    }

    @Override
    public Optional<List<ToolParamType>> toolParams(String tool) {
        return Optional.ofNullable(tools.get(tool));
    }

    @Override
    public Collection<String> toolNames() {
        return tools.keySet();
    }
}
