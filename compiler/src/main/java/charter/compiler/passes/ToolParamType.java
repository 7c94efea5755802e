package charter.compiler.passes;

import charter.compiler.types.Type;
import java.util.List;

/**
 * One parameter of an action tool: `team: team`, `priority?: number`.
 *
 * @param values the only values the tool accepts (PagerDuty's severities), or empty for any value of the type
 */
public record ToolParamType(String name, Type type, boolean required, List<String> values) {
    public ToolParamType {
        values = List.copyOf(values);
    }

    public ToolParamType(String name, Type type, boolean required) {
        this(name, type, required, List.of());
    }
}
