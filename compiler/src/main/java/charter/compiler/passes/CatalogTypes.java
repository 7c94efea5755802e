package charter.compiler.passes;

import charter.compiler.catalog.Catalog;
import charter.compiler.catalog.EventTypeSpec;
import charter.compiler.catalog.FieldSpec;
import charter.compiler.catalog.FieldType;
import charter.compiler.types.Type;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The typechecker's view of the event, entity and tool catalog. */
public final class CatalogTypes implements TypeCatalog {
    /** Every entity fact answers these besides its attributes (see charter.facts.EntityFact). */
    private static final Map<String, Type> ENTITY_COMMON = Map.of(
            "key", Type.STRING, "type", Type.STRING, "first_seen", Type.TIME, "last_seen", Type.TIME, "occurrences", Type.NUMBER);

    private final Catalog catalog;

    public CatalogTypes(Catalog catalog) {
        this.catalog = catalog;
    }

    public static Map<String, Integer> defaultSignificance(Catalog catalog) {
        Map<String, Integer> out = new LinkedHashMap<>();
        for (EventTypeSpec e : catalog.eventTypes()) out.put(e.name(), e.defaultSignificance());
        return out;
    }

    public static Type typeOf(FieldType field) {
        return switch (field) {
            case STRING -> Type.STRING;
            case NUMBER -> Type.NUMBER;
            case BOOL -> Type.BOOL;
            case TIME -> Type.TIME;
            case LIST_STRING -> new Type.ListOf(Type.STRING);
            case TEAM -> Type.TEAM;
            case PERSON -> Type.PERSON;
        };
    }

    private static Map<String, Type> types(Map<String, FieldSpec> fields) {
        Map<String, Type> out = new LinkedHashMap<>();
        fields.forEach((name, spec) -> out.put(name, typeOf(spec.type())));
        return out;
    }

    @Override
    public Optional<Map<String, Type>> eventFields(String eventType) {
        return catalog.eventType(eventType).map(e -> types(e.fields()));
    }

    @Override
    public Optional<Map<String, Type>> entityFields(String entityType) {
        return catalog.entityType(entityType).map(e -> {
            Map<String, Type> out = new LinkedHashMap<>(types(e.attributes()));
            ENTITY_COMMON.forEach(out::putIfAbsent);
            return out;
        });
    }

    @Override
    public Collection<String> eventTypeNames() {
        return catalog.eventTypeNames();
    }

    @Override
    public Collection<String> entityTypeNames() {
        return catalog.entityTypes().stream().map(e -> e.name()).toList();
    }

    @Override
    public Optional<List<ToolParamType>> toolParams(String tool) {
        return catalog.tool(tool).map(t -> t.params().stream()
                .map(p -> new ToolParamType(p.name(), typeOf(p.type()), p.required(), p.values())).toList());
    }

    @Override
    public Collection<String> toolNames() {
        return catalog.tools().stream().map(t -> t.name()).toList();
    }
}
