package charter.compiler.catalog;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * The event, entity and tool catalog: the one place that defines event types, their typed fields
 * and entity references, entity types and action tools. Loaded from the classpath resources
 * {@code charter/catalog/*.yaml}; immutable once built.
 */
public final class Catalog {

    /** Classpath folder of the catalog resources. */
    public static final String RESOURCE_DIR = "charter/catalog/";
    /** The event source files, in load order. */
    public static final List<String> SOURCE_FILES = List.of("github.yaml", "vercel.yaml", "linear.yaml", "sentry.yaml");
    public static final String ENTITIES_FILE = "entities.yaml";
    public static final String TOOLS_FILE = "tools.yaml";

    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]*");
    private static final Pattern DOTTED = Pattern.compile("[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)+");

    private final Map<String, EventTypeSpec> eventTypes;
    private final Map<String, EntityTypeSpec> entityTypes;
    private final Map<String, ToolSpec> tools;
    private final Set<String> sources;

    private Catalog(Map<String, EventTypeSpec> eventTypes, Map<String, EntityTypeSpec> entityTypes,
            Map<String, ToolSpec> tools) {
        this.eventTypes = Collections.unmodifiableMap(new LinkedHashMap<>(eventTypes));
        this.entityTypes = Collections.unmodifiableMap(new LinkedHashMap<>(entityTypes));
        this.tools = Collections.unmodifiableMap(new LinkedHashMap<>(tools));
        Set<String> s = new LinkedHashSet<>();
        eventTypes.values().forEach(e -> s.add(e.source()));
        this.sources = Collections.unmodifiableSet(s);
    }

    private static final class Standard {
        static final Catalog INSTANCE = load();
    }

    /** The catalog of the classpath resources, loaded once and shared (it is immutable). */
    public static Catalog standard() {
        return Standard.INSTANCE;
    }

    /** Loads the catalog from the classpath resources under {@value #RESOURCE_DIR}. */
    public static Catalog load() {
        return load(Catalog.class.getClassLoader());
    }

    public static Catalog load(ClassLoader loader) {
        Map<String, String> texts = new LinkedHashMap<>();
        List<String> files = new ArrayList<>(SOURCE_FILES);
        files.add(ENTITIES_FILE);
        files.add(TOOLS_FILE);
        for (String f : files) {
            String path = RESOURCE_DIR + f;
            try (InputStream in = loader.getResourceAsStream(path)) {
                if (in == null) {
                    throw new CatalogException(path, "", "catalog resource not found on the classpath");
                }
                texts.put(f, new String(in.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new CatalogException(path, "", "cannot read: " + e.getMessage(), e);
            }
        }
        return parse(texts);
    }

    /**
     * Builds a catalog from YAML texts by file name: {@value #ENTITIES_FILE}, {@value #TOOLS_FILE}
     * and any number of event source files (every other name). Fails with a
     * {@link CatalogException} naming the file and key of the first problem.
     */
    public static Catalog parse(Map<String, String> yamlByFile) {
        Map<String, EntityTypeSpec> entities = new LinkedHashMap<>();
        Map<String, ToolSpec> tools = new LinkedHashMap<>();
        Map<String, EventTypeSpec> events = new LinkedHashMap<>();
        if (!yamlByFile.containsKey(ENTITIES_FILE)) {
            throw new CatalogException(ENTITIES_FILE, "", "missing");
        }
        if (!yamlByFile.containsKey(TOOLS_FILE)) {
            throw new CatalogException(TOOLS_FILE, "", "missing");
        }
        parseEntities(ENTITIES_FILE, yaml(ENTITIES_FILE, yamlByFile.get(ENTITIES_FILE)), entities);
        parseTools(TOOLS_FILE, yaml(TOOLS_FILE, yamlByFile.get(TOOLS_FILE)), tools);
        Map<String, String> sourceFileOf = new LinkedHashMap<>();
        for (var e : yamlByFile.entrySet()) {
            String file = e.getKey();
            if (file.equals(ENTITIES_FILE) || file.equals(TOOLS_FILE)) {
                continue;
            }
            parseEvents(file, yaml(file, e.getValue()), entities, events, sourceFileOf);
        }
        return new Catalog(events, entities, tools);
    }

    // ---- queries

    public Optional<EventTypeSpec> eventType(String name) {
        return Optional.ofNullable(eventTypes.get(name));
    }

    /** All event types, in catalog order (source file order, then file order). */
    public Collection<EventTypeSpec> eventTypes() {
        return eventTypes.values();
    }

    public Set<String> eventTypeNames() {
        return eventTypes.keySet();
    }

    public List<EventTypeSpec> eventTypesOf(String source) {
        return eventTypes.values().stream().filter(e -> e.source().equals(source)).toList();
    }

    /** The sources that have event types: github, vercel, linear, sentry. */
    public Set<String> sources() {
        return sources;
    }

    public Optional<EntityTypeSpec> entityType(String name) {
        return Optional.ofNullable(entityTypes.get(name));
    }

    public Collection<EntityTypeSpec> entityTypes() {
        return entityTypes.values();
    }

    /** A tool by its qualified name, {@code slack.post}. */
    public Optional<ToolSpec> tool(String qualifiedName) {
        return Optional.ofNullable(tools.get(qualifiedName));
    }

    public Collection<ToolSpec> tools() {
        return tools.values();
    }

    // ---- loading

    private static Object yaml(String file, String text) {
        LoaderOptions opts = new LoaderOptions();
        opts.setAllowDuplicateKeys(false);
        opts.setMaxAliasesForCollections(500);
        try {
            Object doc = new Yaml(new SafeConstructor(opts)).load(text);
            if (doc == null) {
                throw new CatalogException(file, "", "empty document");
            }
            return doc;
        } catch (YAMLException e) {
            throw new CatalogException(file, "", "invalid YAML: " + e.getMessage().strip(), e);
        }
    }

    private static void parseEvents(String file, Object doc, Map<String, EntityTypeSpec> entityTypes,
            Map<String, EventTypeSpec> out, Map<String, String> fileOf) {
        Map<String, Object> root = map(file, "", doc);
        allowKeys(file, "", root, Set.of("source", "events", "templates"));
        String source = string(file, "source", root.get("source"), true);
        if (!NAME.matcher(source).matches()) {
            throw new CatalogException(file, "source", "'" + source + "' is not a lower snake case name");
        }
        Map<String, Object> events = map(file, "events", root.get("events"));
        if (events.isEmpty()) {
            throw new CatalogException(file, "events", "no event types");
        }
        for (var e : events.entrySet()) {
            String name = e.getKey();
            String key = "events." + name;
            if (!DOTTED.matcher(name).matches()) {
                throw new CatalogException(file, key, "event type name must be <source>.<noun>[.<verb>] in lower snake case");
            }
            if (!name.startsWith(source + ".")) {
                throw new CatalogException(file, key, "event type must start with its source '" + source + ".'");
            }
            if (out.containsKey(name)) {
                throw new CatalogException(file, key, "duplicate event type, already defined in " + fileOf.get(name));
            }
            Map<String, Object> spec = map(file, key, e.getValue());
            allowKeys(file, key, spec, Set.of("description", "significance", "fields", "entities"));
            String description = string(file, key + ".description", spec.get("description"), true);
            int significance = significance(file, key + ".significance", spec.get("significance"));
            Map<String, FieldSpec> fields = new LinkedHashMap<>();
            fields.put("id", new FieldSpec("id", FieldType.STRING, "Unique event id"));
            fields.put("source", new FieldSpec("source", FieldType.STRING, "Source system: github, vercel, linear or sentry"));
            fields.put("type", new FieldSpec("type", FieldType.STRING, "Event type, " + name));
            fields.put("time", new FieldSpec("time", FieldType.TIME, "When the event happened"));
            fields.put("significance", new FieldSpec("significance", FieldType.NUMBER, "Significance 0-100"));
            Map<String, FieldSpec> own = fields(file, key + ".fields", spec.get("fields"), true);
            for (String f : own.keySet()) {
                if (EventTypeSpec.COMMON_FIELDS.contains(f)) {
                    throw new CatalogException(file, key + ".fields." + f, "is a common field, added to every event type; remove it");
                }
            }
            fields.putAll(own);
            List<EntityRefSpec> refs = new ArrayList<>();
            Object rawRefs = spec.get("entities");
            if (rawRefs != null) {
                if (!(rawRefs instanceof List<?> list)) {
                    throw new CatalogException(file, key + ".entities", "must be a list");
                }
                for (int i = 0; i < list.size(); i++) {
                    String rk = key + ".entities[" + i + "]";
                    Map<String, Object> r = map(file, rk, list.get(i));
                    allowKeys(file, rk, r, Set.of("type", "key", "role"));
                    String type = string(file, rk + ".type", r.get("type"), true);
                    if (!entityTypes.containsKey(type)) {
                        throw new CatalogException(file, rk + ".type", "unknown entity type '" + type + "'");
                    }
                    EntityRefSpec ref = new EntityRefSpec(type, string(file, rk + ".key", r.get("key"), true),
                            string(file, rk + ".role", r.get("role"), false));
                    if (ref.keyFields().isEmpty()) {
                        throw new CatalogException(file, rk + ".key", "key template uses no field, e.g. \"{repo}\"");
                    }
                    for (String f : ref.keyFields()) {
                        if (!fields.containsKey(f)) {
                            throw new CatalogException(file, rk + ".key", "key template uses unknown field '" + f + "'");
                        }
                    }
                    refs.add(ref);
                }
            }
            out.put(name, new EventTypeSpec(name, source, description, significance, fields, refs));
            fileOf.put(name, file);
        }
    }

    private static void parseEntities(String file, Object doc, Map<String, EntityTypeSpec> out) {
        Map<String, Object> root = map(file, "", doc);
        allowKeys(file, "", root, Set.of("entities"));
        for (var e : map(file, "entities", root.get("entities")).entrySet()) {
            String key = "entities." + e.getKey();
            if (!NAME.matcher(e.getKey()).matches()) {
                throw new CatalogException(file, key, "entity type name must be lower snake case");
            }
            Map<String, Object> spec = map(file, key, e.getValue());
            allowKeys(file, key, spec, Set.of("description", "key", "example", "attributes"));
            out.put(e.getKey(), new EntityTypeSpec(e.getKey(),
                    string(file, key + ".description", spec.get("description"), true),
                    string(file, key + ".key", spec.get("key"), true),
                    string(file, key + ".example", spec.get("example"), false),
                    fields(file, key + ".attributes", spec.get("attributes"), false)));
        }
    }

    private static void parseTools(String file, Object doc, Map<String, ToolSpec> out) {
        Map<String, Object> root = map(file, "", doc);
        allowKeys(file, "", root, Set.of("tools"));
        for (var e : map(file, "tools", root.get("tools")).entrySet()) {
            String name = e.getKey();
            String key = "tools." + name;
            if (!name.matches("[a-z][a-z0-9_]*\\.[a-z][a-z0-9_]*")) {
                throw new CatalogException(file, key, "tool name must be <tool>.<verb> in lower snake case");
            }
            Map<String, Object> spec = map(file, key, e.getValue());
            allowKeys(file, key, spec, Set.of("description", "params"));
            List<ToolParam> params = new ArrayList<>();
            Object rawParams = spec.get("params");
            Map<String, Object> pm = rawParams == null ? Map.of() : map(file, key + ".params", rawParams);
            for (var p : pm.entrySet()) {
                String pk = key + ".params." + p.getKey();
                if (!NAME.matcher(p.getKey()).matches()) {
                    throw new CatalogException(file, pk, "parameter name must be lower snake case");
                }
                Map<String, Object> ps = map(file, pk, p.getValue());
                allowKeys(file, pk, ps, Set.of("type", "required", "description", "values"));
                FieldType type = type(file, pk + ".type", ps.get("type"), true);
                Object req = ps.getOrDefault("required", Boolean.FALSE);
                if (!(req instanceof Boolean b)) {
                    throw new CatalogException(file, pk + ".required", "must be true or false");
                }
                List<String> values = new ArrayList<>();
                Object rawValues = ps.get("values");
                if (rawValues != null) {
                    if (!(rawValues instanceof List<?> list) || list.isEmpty() || !list.stream().allMatch(String.class::isInstance)) {
                        throw new CatalogException(file, pk + ".values", "must be a non-empty list of strings");
                    }
                    if (type != FieldType.STRING) throw new CatalogException(file, pk + ".values", "only a string parameter can list its values");
                    list.forEach(v -> values.add((String) v));
                }
                params.add(new ToolParam(p.getKey(), type, b, string(file, pk + ".description", ps.get("description"), false), values));
            }
            out.put(name, new ToolSpec(name, string(file, key + ".description", spec.get("description"), true), params));
        }
    }

    /** Fields as a map name → type, or name → {type, description}. */
    private static Map<String, FieldSpec> fields(String file, String key, Object raw, boolean required) {
        if (raw == null && !required) {
            return Map.of();
        }
        Map<String, FieldSpec> out = new LinkedHashMap<>();
        for (var f : map(file, key, raw).entrySet()) {
            String fk = key + "." + f.getKey();
            if (!NAME.matcher(f.getKey()).matches()) {
                throw new CatalogException(file, fk, "field name must be lower snake case");
            }
            FieldType type;
            String description = "";
            if (f.getValue() instanceof Map<?, ?>) {
                Map<String, Object> fs = map(file, fk, f.getValue());
                allowKeys(file, fk, fs, Set.of("type", "description"));
                type = type(file, fk + ".type", fs.get("type"), false);
                description = string(file, fk + ".description", fs.get("description"), false);
            } else {
                type = type(file, fk, f.getValue(), false);
            }
            out.put(f.getKey(), new FieldSpec(f.getKey(), type, description));
        }
        return out;
    }

    private static FieldType type(String file, String key, Object raw, boolean allowTeamPerson) {
        String text = string(file, key, raw, true);
        FieldType t = FieldType.parse(text).orElseThrow(() -> new CatalogException(file, key,
                "unknown type '" + text + "' (expected string, number, bool, time, list<string>"
                        + (allowTeamPerson ? ", team, person)" : ")")));
        if (!allowTeamPerson && !t.isDataType()) {
            throw new CatalogException(file, key, "type '" + text + "' is only allowed for tool parameters");
        }
        return t;
    }

    private static int significance(String file, String key, Object raw) {
        if (!(raw instanceof Integer i)) {
            throw new CatalogException(file, key, "must be an integer 0-100");
        }
        if (i < 0 || i > 100) {
            throw new CatalogException(file, key, "must be between 0 and 100, got " + i);
        }
        return i;
    }

    private static String string(String file, String key, Object raw, boolean required) {
        if (raw == null) {
            if (required) {
                throw new CatalogException(file, key, "is required");
            }
            return "";
        }
        if (!(raw instanceof String s)) {
            throw new CatalogException(file, key, "must be a string");
        }
        if (required && s.isBlank()) {
            throw new CatalogException(file, key, "must not be empty");
        }
        return s;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(String file, String key, Object raw) {
        if (!(raw instanceof Map<?, ?> m)) {
            throw new CatalogException(file, key, raw == null ? "is required" : "must be a mapping");
        }
        for (Object k : m.keySet()) {
            if (!(k instanceof String)) {
                throw new CatalogException(file, key, "key " + k + " must be a string");
            }
        }
        return (Map<String, Object>) m;
    }

    private static void allowKeys(String file, String key, Map<String, Object> m, Set<String> allowed) {
        for (String k : m.keySet()) {
            if (!allowed.contains(k)) {
                throw new CatalogException(file, key.isEmpty() ? k : key + "." + k,
                        "unknown key (expected one of " + String.join(", ", allowed.stream().sorted().toList()) + ")");
            }
        }
    }
}
