package charter.compiler.catalog;

import charter.compiler.diag.Suggestions;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Finds what the catalog holds by name or by words, for people who do not know the exact
 * name of an event type, a field or a tool: `charter catalog`, and later the language server.
 * Lookups are exact; searches match every word of the query, in any case, against an entry's
 * name, description and fields (or parameters), and rank entries whose name matches first.
 */
public final class CatalogSearch {
    /** One catalog entry: an event type, an entity type or a tool. */
    public sealed interface Entry {
        String name();

        String kind();

        record Event(EventTypeSpec spec) implements Entry {
            public String name() { return spec.name(); }

            public String kind() { return "event"; }
        }

        record Entity(EntityTypeSpec spec) implements Entry {
            public String name() { return spec.name(); }

            public String kind() { return "entity"; }
        }

        record Tool(ToolSpec spec) implements Entry {
            public String name() { return spec.name(); }

            public String kind() { return "tool"; }
        }
    }

    /** A search result: the entry and the fields or parameters whose name matched a word. */
    public record Hit(Entry entry, List<String> matchedFields, boolean nameMatched) {
        public Hit {
            matchedFields = List.copyOf(matchedFields);
        }
    }

    private final Catalog catalog;

    public CatalogSearch(Catalog catalog) {
        this.catalog = catalog;
    }

    /** Every entry, event types first (by source, in catalog order), then entity types, then tools. */
    public List<Entry> all() {
        List<Entry> out = new ArrayList<>();
        catalog.eventTypes().forEach(e -> out.add(new Entry.Event(e)));
        catalog.entityTypes().forEach(e -> out.add(new Entry.Entity(e)));
        catalog.tools().forEach(t -> out.add(new Entry.Tool(t)));
        return out;
    }

    /** The entry with exactly this name (an event type, an entity type, or a tool such as `slack.post`). */
    public Optional<Entry> lookup(String name) {
        Optional<Entry> event = catalog.eventType(name).map(Entry.Event::new);
        if (event.isPresent()) return event;
        Optional<Entry> entity = catalog.entityType(name).map(Entry.Entity::new);
        if (entity.isPresent()) return entity;
        return catalog.tool(name).map(Entry.Tool::new);
    }

    /** Entries whose name starts with `prefix` followed by a dot (`vercel`, `github.pull_request`), in catalog order. */
    public List<Entry> under(String prefix) {
        return all().stream().filter(e -> e.name().startsWith(prefix + ".")).toList();
    }

    /** The closest name to a misspelt one, for a did-you-mean. */
    public Optional<String> closest(String name) {
        Set<String> names = new LinkedHashSet<>();
        all().forEach(e -> names.add(e.name()));
        names.addAll(catalog.sources());
        return Suggestions.closest(name, names);
    }

    /** Entries matching every word of `query`; those whose name matches come first, then catalog order. */
    public List<Hit> search(String query) {
        List<String> words = words(query);
        if (words.isEmpty()) return List.of();
        List<Hit> hits = new ArrayList<>();
        for (Entry entry : all()) {
            match(entry, words).ifPresent(hits::add);
        }
        hits.sort(Comparator.comparing((Hit h) -> !h.nameMatched()));
        return hits;
    }

    private static List<String> words(String query) {
        List<String> out = new ArrayList<>();
        for (String w : query.toLowerCase(Locale.ROOT).split("[\\s,]+")) {
            if (!w.isBlank()) out.add(w);
        }
        return out;
    }

    private static Optional<Hit> match(Entry entry, List<String> words) {
        String name = entry.name().toLowerCase(Locale.ROOT);
        String description = switch (entry) {
            case Entry.Event e -> e.spec().description();
            case Entry.Entity e -> e.spec().description();
            case Entry.Tool t -> t.spec().description();
        };
        List<String[]> fields = fields(entry);
        List<String> matched = new ArrayList<>();
        boolean nameMatched = true;
        for (String word : words) {
            boolean inName = name.contains(word);
            nameMatched &= inName;
            boolean inDescription = description.toLowerCase(Locale.ROOT).contains(word);
            boolean inField = false;
            for (String[] f : fields) {
                boolean byName = f[0].toLowerCase(Locale.ROOT).contains(word);
                inField |= byName || f[1].toLowerCase(Locale.ROOT).contains(word);
                // Only a field whose own name matched is worth pointing at; descriptions mention words in passing.
                if (byName && !matched.contains(f[0])) matched.add(f[0]);
            }
            if (!inName && !inDescription && !inField) return Optional.empty();
        }
        return Optional.of(new Hit(entry, matched, nameMatched));
    }

    /** Name and description of each field, attribute or parameter. */
    private static List<String[]> fields(Entry entry) {
        Collection<FieldSpec> specs = switch (entry) {
            case Entry.Event e -> e.spec().fields().values();
            case Entry.Entity e -> e.spec().attributes().values();
            case Entry.Tool t -> List.of();
        };
        List<String[]> out = new ArrayList<>();
        specs.forEach(f -> out.add(new String[]{f.name(), f.description()}));
        if (entry instanceof Entry.Tool t) t.spec().params().forEach(p -> out.add(new String[]{p.name(), p.description()}));
        return out;
    }
}
