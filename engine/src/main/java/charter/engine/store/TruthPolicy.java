package charter.engine.store;

import charter.compiler.CompiledProgram;
import charter.compiler.ast.Decl;
import charter.compiler.ast.Name;
import charter.compiler.model.ResolvedProgram;
import charter.engine.ingest.Normalised.Claim;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Which claim is an attribute's current value. Per entity type and attribute, an ordered
 * source preference from the Program's {@code truth} declarations (e.g. {@code truth
 * deployment.status prefer vercel over github}): the latest claim of the most preferred
 * source that claimed anything wins; an attribute without a declaration, or whose claims
 * all come from unlisted sources, takes the latest claim overall. "Latest" is the claim
 * time; between claims of the same time, the one later in the list (log order) wins.
 */
public final class TruthPolicy {

    private static final TruthPolicy NONE = new TruthPolicy(Map.of());

    /** "entity.attribute" → sources, most preferred first (lower case). */
    private final Map<String, List<String>> preferences;

    private TruthPolicy(Map<String, List<String>> preferences) {
        this.preferences = Collections.unmodifiableMap(preferences);
    }

    /** No declarations: every attribute is its latest claim. */
    public static TruthPolicy latestWins() {
        return NONE;
    }

    public static TruthPolicy of(CompiledProgram program) {
        return of(program.drl().core().typed().program());
    }

    public static TruthPolicy of(ResolvedProgram program) {
        return of(program.truths());
    }

    public static TruthPolicy of(List<Decl.TruthDecl> truths) {
        Builder b = builder();
        for (Decl.TruthDecl t : truths) {
            b.prefer(t.entity().text(), t.attribute().text(), t.preference().stream().map(Name::text).toList());
        }
        return b.build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The declared preference for an attribute, most preferred first; empty when none. */
    public List<String> preference(String entityType, String attribute) {
        return preferences.getOrDefault(key(entityType, attribute), List.of());
    }

    /**
     * The winning claim per attribute, attributes in name order.
     *
     * @param claims the claims of one entity (as in {@link EventStore.EntityView#claims()}), in log order
     */
    public Map<String, Claim> resolve(List<Claim> claims) {
        Map<String, List<Claim>> byAttribute = new TreeMap<>();
        for (Claim c : claims) byAttribute.computeIfAbsent(c.attribute(), a -> new ArrayList<>()).add(c);
        Map<String, Claim> out = new LinkedHashMap<>();
        byAttribute.forEach((attribute, list) -> out.put(attribute, winner(list)));
        return Collections.unmodifiableMap(out);
    }

    /** As {@link #resolve}, just the values. */
    public Map<String, Object> values(List<Claim> claims) {
        Map<String, Object> out = new LinkedHashMap<>();
        resolve(claims).forEach((attribute, claim) -> out.put(attribute, claim.value()));
        return Collections.unmodifiableMap(out);
    }

    /** The current claim of one attribute among claims for it (all of one entity type). */
    private Claim winner(List<Claim> claims) {
        Claim first = claims.getFirst();
        for (String source : preference(first.entityType(), first.attribute())) {
            Claim best = latest(claims, source);
            if (best != null) return best;
        }
        return latest(claims, null);
    }

    private static Claim latest(List<Claim> claims, String source) {
        Claim best = null;
        for (Claim c : claims) {
            if (source != null && (c.source() == null || !c.source().equalsIgnoreCase(source))) continue;
            if (best == null || !c.time().isBefore(best.time())) best = c;
        }
        return best;
    }

    private static String key(String entityType, String attribute) {
        return entityType + "." + attribute;
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder();
        preferences.forEach((k, v) -> s.append(s.isEmpty() ? "" : "; ").append(k).append(" prefer ")
                .append(String.join(" over ", v)));
        return s.isEmpty() ? "latest claim wins" : s.toString();
    }

    public static final class Builder {
        private final Map<String, List<String>> preferences = new LinkedHashMap<>();

        /** {@code truth entity.attribute prefer s1 over s2 …}; one declaration per attribute. */
        public Builder prefer(String entityType, String attribute, List<String> sources) {
            Objects.requireNonNull(entityType, "entityType");
            Objects.requireNonNull(attribute, "attribute");
            if (sources.isEmpty()) throw new IllegalArgumentException("truth " + key(entityType, attribute) + " names no source");
            List<String> lower = sources.stream().map(s -> s.toLowerCase(Locale.ROOT)).toList();
            if (preferences.putIfAbsent(key(entityType, attribute), lower) != null) {
                throw new IllegalArgumentException("truth " + key(entityType, attribute) + " is declared twice");
            }
            return this;
        }

        public Builder prefer(String entityType, String attribute, String... sources) {
            return prefer(entityType, attribute, List.of(sources));
        }

        public TruthPolicy build() {
            return new TruthPolicy(new LinkedHashMap<>(preferences));
        }
    }
}
