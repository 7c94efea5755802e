package charter.compiler.passes;

import charter.compiler.types.Type;

/** One parameter of an action tool: `team: team`, `priority?: number`. */
public record ToolParamType(String name, Type type, boolean required) {}
