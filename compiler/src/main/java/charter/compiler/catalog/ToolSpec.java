package charter.compiler.catalog;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** An action tool, {@code tool.verb} (e.g. {@code slack.post}), with its parameters in order. */
public record ToolSpec(String name, String description, List<ToolParam> params) {
    public ToolSpec {
        Objects.requireNonNull(name, "name");
        description = description == null ? "" : description;
        params = List.copyOf(params);
    }

    public Optional<ToolParam> param(String paramName) {
        return params.stream().filter(p -> p.name().equals(paramName)).findFirst();
    }

    public List<ToolParam> requiredParams() {
        return params.stream().filter(ToolParam::required).toList();
    }
}
