package charter.engine.json;

import charter.compiler.catalog.CatalogSearch;
import charter.compiler.catalog.EntityRefSpec;
import charter.compiler.catalog.FieldSpec;
import charter.compiler.catalog.ToolParam;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Collection;

/**
 * Catalog entries as JSON, the one shape for `charter catalog --format json` and whatever else
 * serves the catalog: `{kind, name, description, …}` with the fields of an event type
 * (`source`, `defaultSignificance`, `fields`, `entities`), the attributes of an entity type
 * (`keyFormat`, `example`, `attributes`) or the parameters of a tool (`params`). Keys in a fixed order.
 */
public final class CatalogJson {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private CatalogJson() {}

    public static ObjectNode entry(CatalogSearch.Entry entry) {
        ObjectNode out = NODES.objectNode();
        out.put("kind", entry.kind());
        out.put("name", entry.name());
        switch (entry) {
            case CatalogSearch.Entry.Event e -> {
                out.put("description", e.spec().description());
                out.put("source", e.spec().source());
                out.put("defaultSignificance", e.spec().defaultSignificance());
                fields(out.putArray("fields"), e.spec().fields().values());
                ArrayNode entities = out.putArray("entities");
                for (EntityRefSpec ref : e.spec().entities()) {
                    entities.addObject().put("type", ref.type()).put("key", ref.key()).put("role", ref.role().isEmpty() ? null : ref.role());
                }
            }
            case CatalogSearch.Entry.Entity e -> {
                out.put("description", e.spec().description());
                out.put("keyFormat", e.spec().keyFormat());
                out.put("example", e.spec().example());
                fields(out.putArray("attributes"), e.spec().attributes().values());
            }
            case CatalogSearch.Entry.Tool t -> {
                out.put("description", t.spec().description());
                ArrayNode params = out.putArray("params");
                for (ToolParam p : t.spec().params()) {
                    params.addObject().put("name", p.name()).put("type", p.type().displayName()).put("required", p.required())
                            .put("description", p.description());
                }
            }
        }
        return out;
    }

    /** A search hit: the entry, and which of its fields or parameters matched. */
    public static ObjectNode hit(CatalogSearch.Hit hit) {
        ObjectNode out = entry(hit.entry());
        ArrayNode matched = out.putArray("matchedFields");
        hit.matchedFields().forEach(matched::add);
        return out;
    }

    private static void fields(ArrayNode into, Collection<FieldSpec> fields) {
        for (FieldSpec f : fields) {
            into.addObject().put("name", f.name()).put("type", f.type().displayName()).put("description", f.description());
        }
    }
}
