package charter.compiler.passes;

import charter.compiler.types.Type;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the typechecker needs to know about the event and entity catalog, in the
 * compiler's own types. The catalog itself is data kept elsewhere; an adapter
 * turns it into this view so the typecheck pass does not depend on its shape.
 */
public interface TypeCatalog {

    /** The fields of an event type (`vercel.deployment.error`), including the common ones: id, source, type, time, significance. */
    Optional<Map<String, Type>> eventFields(String eventType);

    /** The attributes of an entity type (`deployment`). */
    Optional<Map<String, Type>> entityFields(String entityType);

    Collection<String> eventTypeNames();

    Collection<String> entityTypeNames();

    /** The parameters of an action tool (`slack.post`), in declaration order. */
    Optional<List<ToolParamType>> toolParams(String tool);

    Collection<String> toolNames();
}
