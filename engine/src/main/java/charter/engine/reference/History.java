package charter.engine.reference;

import charter.compiler.ast.Decl;
import charter.compiler.catalog.Catalog;
import charter.engine.event.CanonicalEvent;
import charter.engine.event.EntityRef;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every event received so far, in arrival order, and the entities they describe, recomputed
 * from the whole history whenever asked: naive on purpose.
 */
final class History {
    private final List<Fact.Event> events = new ArrayList<>();
    private final Map<String, List<Fact.Event>> byType = new java.util.HashMap<>();
    private final Catalog catalog = Catalog.standard();
    private final List<Decl.TruthDecl> truths;
    /** What {@link #entities()} last computed; null once an event has been added since. */
    private List<Fact.Entity> entities;

    History(List<Decl.TruthDecl> truths) {
        this.truths = truths;
    }

    void add(Fact.Event e) {
        events.add(e);
        byType.computeIfAbsent(e.event().type(), t -> new ArrayList<>()).add(e);
        entities = null;
    }

    List<Fact.Event> events() {
        return events;
    }

    /** The events of one type, in arrival order. */
    List<Fact.Event> events(String type) {
        return byType.getOrDefault(type, List.of());
    }

    int size() {
        return events.size();
    }

    /** One claim of an attribute by an event's subject (its first entity reference). */
    private record Claim(String source, Instant time, Object value) {}

    /**
     * The entities mentioned so far: first and last mention, how many mentions, and each
     * attribute's value as the latest claim of the most preferred source that made one (the
     * Program's {@code truth} declarations), else the latest claim.
     */
    List<Fact.Entity> entities() {
        if (entities == null) entities = describe();
        return entities;
    }

    /** The entities, recomputed from every event. */
    private List<Fact.Entity> describe() {
        Map<String, List<CanonicalEvent>> mentions = new LinkedHashMap<>();
        Map<String, Map<String, List<Claim>>> claims = new LinkedHashMap<>();
        for (Fact.Event fact : events) {
            CanonicalEvent e = fact.event();
            for (int i = 0; i < e.entities().size(); i++) {
                EntityRef ref = e.entities().get(i);
                String id = ref.type() + "\u0000" + ref.key();
                mentions.computeIfAbsent(id, k -> new ArrayList<>()).add(e);
                Map<String, List<Claim>> byAttribute = claims.computeIfAbsent(id, k -> new LinkedHashMap<>());
                if (i > 0) continue;
                var spec = catalog.entityType(ref.type());
                if (spec.isEmpty()) continue;
                for (String attribute : spec.get().attributes().keySet()) {
                    Object v = e.data().get(attribute);
                    if (v != null) byAttribute.computeIfAbsent(attribute, k -> new ArrayList<>()).add(new Claim(e.source(), e.time(), v));
                }
            }
        }
        List<Fact.Entity> out = new ArrayList<>();
        mentions.forEach((id, list) -> {
            String[] parts = id.split("\u0000", 2);
            Instant first = list.stream().map(CanonicalEvent::time).min(Instant::compareTo).orElseThrow();
            Instant last = list.stream().map(CanonicalEvent::time).max(Instant::compareTo).orElseThrow();
            Map<String, Object> values = new LinkedHashMap<>();
            claims.get(id).forEach((attribute, list2) -> values.put(attribute, winner(parts[0], attribute, list2)));
            out.add(new Fact.Entity(parts[0], parts[1], first, last, list.size(), values));
        });
        return out;
    }

    private Object winner(String type, String attribute, List<Claim> claims) {
        for (Decl.TruthDecl t : truths) {
            if (!t.entity().text().equals(type) || !t.attribute().text().equals(attribute)) continue;
            for (var source : t.preference()) {
                Claim best = latest(claims, source.text());
                if (best != null) return best.value();
            }
        }
        return latest(claims, null).value();
    }

    private static Claim latest(List<Claim> claims, String source) {
        Claim best = null;
        for (Claim c : claims) {
            if (source != null && !c.source().equalsIgnoreCase(source)) continue;
            if (best == null || !c.time().isBefore(best.time())) best = c;
        }
        return best;
    }
}
