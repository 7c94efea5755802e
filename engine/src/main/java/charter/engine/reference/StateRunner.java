package charter.engine.reference;

import charter.compiler.ast.Decl;
import charter.compiler.ast.InvariantBody;
import charter.engine.result.Provenance;
import charter.engine.result.TimelineEntry;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * State invariants {@code every P p has Q within D after p}: for each event p, at the end of
 * the instant {@code p + D}, a violation citing p unless some other event matched Q in
 * [p, p + D].
 */
final class StateRunner {
    private final List<Decl.InvariantDecl> invariants;
    private final Patterns patterns;
    private final Planner planner;
    private final String version;
    private final Set<String> decided = new HashSet<>();

    StateRunner(List<Decl.InvariantDecl> invariants, Patterns patterns, Planner planner, String version) {
        this.invariants = invariants.stream().filter(i -> i.body() instanceof InvariantBody.StateGuard).toList();
        this.patterns = patterns;
        this.planner = planner;
        this.version = version;
    }

    /** Runs at the end of each instant. */
    void run(long now) {
        for (Decl.InvariantDecl inv : invariants) {
            InvariantBody.StateGuard body = (InvariantBody.StateGuard) inv.body();
            for (Fact f : patterns.matches(body.every(), Map.of(), Set.of(), now)) {
                Fact.Event p = (Fact.Event) f;
                if (Patterns.windowEnd(body.has(), Map.of(body.every().binding().text(), p)) > now) continue;
                if (!decided.add(inv.name().text() + "#" + p.seq())) continue;
                Map<String, Fact> env = new LinkedHashMap<>();
                env.put(body.every().binding().text(), p);
                if (!patterns.matches(body.has(), env, Set.of(p.seq()), now).isEmpty()) continue;
                Provenance provenance = new Provenance(Provenance.Kind.INVARIANT, inv.name().text(), inv.span(),
                        List.of(p.event().id()), null, version);
                planner.record(new TimelineEntry.Violation(Instant.ofEpochMilli(now), inv.name().text(), inv.level().keyword(),
                        inv.title(), body.because(), provenance));
            }
        }
    }
}
