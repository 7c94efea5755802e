package charter.engine.runtime;

import charter.compiler.CompiledProgram;
import charter.compiler.ast.Span;
import charter.compiler.builtins.Builtin;
import charter.compiler.core.CoreElement;
import charter.compiler.core.EventHorizons;
import charter.compiler.core.FactPattern;
import charter.compiler.eval.ActionSkipped;
import charter.compiler.eval.CompiledAction;
import charter.compiler.eval.OverridePolicy;
import charter.compiler.eval.Frame;
import charter.compiler.eval.MissingArgumentException;
import charter.compiler.eval.Values;
import charter.engine.event.CanonicalEvent;
import charter.engine.event.EntityRef;
import charter.engine.intent.IntentRequest;
import charter.engine.result.Provenance;
import charter.engine.result.TimelineEntry;
import charter.compiler.catalog.Catalog;
import charter.engine.store.TruthPolicy;
import charter.facts.Conditions;
import charter.facts.EntityFact;
import charter.facts.EventFact;
import charter.facts.IntentFact;
import charter.facts.Outputs;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.kie.api.runtime.rule.FactHandle;

/**
 * A compiled Program running in one Drools session: events in, intents decided,
 * and every planned action, decision, violation and rule error out to a sink, each
 * with its provenance. The simulator drives it on a pseudo clock; a server will
 * drive it live. Not thread-safe: one thread per session.
 */
public final class ProgramSession implements AutoCloseable {
    private final CompiledProgram program;
    private final RuleSession session;
    private final Consumer<TimelineEntry> sink;
    /**
     * Ids of the actions planned, with when (session time), oldest first: a rule can only fire again
     * on the same facts while they are in memory, so an id is kept for the Program's longest horizon
     * and then forgotten (see {@link #forgetExpired}).
     */
    private final java.util.LinkedHashMap<String, Long> plannedActionIds = new java.util.LinkedHashMap<>();
    /**
     * Ids of actions no event triggered (a rule on entities alone): its identity is the rule and the
     * action's index only, so it stays taken for good, as the semantics say; there are at most as many
     * as the Program has such actions, so keeping them costs nothing.
     */
    private final java.util.Set<String> eventlessActionIds = new java.util.HashSet<>();
    private final Map<Integer, Owner> conditionOwners;
    /** By rule index: a counting rule, whose firing reports every counted event (looked up per firing, so computed once). */
    private final boolean[] countingRules;
    private int duplicateActionsSkipped;
    /** Entities mentioned so far, by "type:key"; kept only when some rule matches entities. */
    private final java.util.LinkedHashMap<String, EntityFact> entities = new java.util.LinkedHashMap<>(16, 0.75f, true);
    private final boolean usesEntities;
    private final Catalog catalog = Catalog.standard();
    private final TruthPolicy truth;
    private final SignificanceScorer scorer;
    /** Denials collected while one intent is being decided; null between decisions. */
    private List<TimelineEntry.Denial> denials;
    private String decidingIntentId;
    /** True while a dry run is decided: nothing is reported and nothing remembered. */
    private boolean dryRunning;
    private Builtin.Context context;
    private final EventHorizons horizons;
    /**
     * Events of types kept shorter than the Program's longest window (which Drools' {@code @expires}
     * enforces for every type), by how long they are kept, oldest inserted first.
     */
    private final Map<Long, ArrayDeque<Held>> shortLived = new HashMap<>();

    /** An event in memory until {@code dropAt} (epoch ms). */
    private record Held(long dropAt, FactHandle handle) {}

    /** Who a numbered condition belongs to, for the error report when it fails. */
    private record Owner(Provenance.Kind kind, String id, Span span) {}

    /** Called with a condition's id before it runs: a seam for tests that make a condition fail. */
    private final java.util.function.IntConsumer beforeCondition;

    /** Entities not mentioned for this long are retracted: at least a day, or the Program's longest window. */
    static final long MIN_ENTITY_RETENTION_MILLIS = 24 * 3600_000L;

    private ProgramSession(CompiledProgram program, long startMillis, Consumer<TimelineEntry> sink, boolean simulation,
                           java.util.function.IntConsumer beforeCondition) {
        this.program = program;
        this.beforeCondition = beforeCondition;
        this.sink = sink;
        this.conditionOwners = conditionOwners(program);
        this.countingRules = new boolean[program.rules().size()];
        for (int i = 0; i < countingRules.length; i++) countingRules[i] = program.rules().get(i).core().counting();
        this.truth = TruthPolicy.of(program);
        this.scorer = SignificanceScorer.of(program);
        this.horizons = program.drl().core().horizons();
        this.usesEntities = program.drl().core().rules().stream().flatMap(r -> r.when().stream())
                .anyMatch(e -> e.pattern().kind() == FactPattern.FactKind.ENTITY)
                || program.guards().stream().flatMap(g -> g.core().state().stream()).flatMap(CoreElement::patterns)
                .anyMatch(p -> p.kind() == FactPattern.FactKind.ENTITY);
        Conditions conditions = new SessionConditions();
        Outputs outputs = new SessionOutputs();
        this.session = simulation
                ? RuleSession.simulation(program.kieBase(), conditions, outputs, startMillis)
                : RuleSession.live(program.kieBase(), conditions, outputs);
    }

    /** A session on a pseudo clock starting at `startMillis`: time moves only with the inputs. */
    public static ProgramSession simulation(CompiledProgram program, long startMillis, Consumer<TimelineEntry> sink) {
        return new ProgramSession(program, startMillis, sink, true, id -> { });
    }

    /** A simulation session that calls {@code beforeCondition} before each condition; for fault-injection tests. */
    static ProgramSession simulation(CompiledProgram program, long startMillis, Consumer<TimelineEntry> sink,
                                     java.util.function.IntConsumer beforeCondition) {
        return new ProgramSession(program, startMillis, sink, true, beforeCondition);
    }

    /** Action ids remembered to skip a second planning of the same firing (bounded by the Program's horizons). */
    public int plannedActionIdCount() {
        return plannedActionIds.size();
    }

    /** Entities the session holds (those mentioned within the entity retention). */
    public int entityCount() {
        return entities.size();
    }

    public long now() {
        return session.now();
    }

    /** Moves event time forward, reporting every deadline that passes on the way at its own time. */
    public void advanceTo(long epochMillis) {
        session.advanceTo(epochMillis);
        dropShortLived();
        forgetExpired();
    }

    /**
     * Forgets the action ids planned longer ago than any fact that made them can stay in memory
     * (the longest horizon, plus the one-second margin of {@link EventHorizons}), and retracts the
     * entities not mentioned for the entity retention: without this both grow for ever in a live session.
     */
    private void forgetExpired() {
        long now = session.now();
        long idHorizon = horizons.longest() + 2 * EventHorizons.MIN_MILLIS;
        for (var it = plannedActionIds.values().iterator(); it.hasNext(); ) {
            if (it.next() >= now - idHorizon) break;
            it.remove();
        }
        if (entities.isEmpty()) return;
        long entityHorizon = Math.max(MIN_ENTITY_RETENTION_MILLIS, horizons.longest());
        for (var it = entities.values().iterator(); it.hasNext(); ) {   // least recently mentioned first
            EntityFact e = it.next();
            if (e.getLastSeen() >= now - entityHorizon) break;
            session.delete(e);
            it.remove();
        }
    }

    public long factCount() {
        return session.factCount();
    }

    public int duplicateActionsSkipped() {
        return duplicateActionsSkipped;
    }

    /** Inserts one event (the clock must already be at its time) and runs the rules it triggers. */
    public void onEvent(CanonicalEvent event) {
        if (usesEntities) mentionEntities(event);
        long keep = horizons.of(event.type());
        if (keep < 0) {   // no pattern of the Program matches it
            // ...but it may have changed an entity some rule reads: those rules run now, at its time.
            if (usesEntities && !event.entities().isEmpty()) session.fireAllRules();
            return;
        }
        FactHandle handle = session.insert(toFact(event));
        session.fireAllRules();
        if (keep == EventHorizons.AT_ONCE) {   // only single-pattern rules read its type, and they have run
            session.delete(handle);
            return;
        }
        // One second past its horizon: late is always safe, early never is (see EventHorizons).
        long dropAt = event.time().toEpochMilli() + keep + EventHorizons.MIN_MILLIS;
        if (keep + EventHorizons.MIN_MILLIS < horizons.longest()) {
            shortLived.computeIfAbsent(keep, k -> new ArrayDeque<>()).addLast(new Held(dropAt, handle));
            dropShortLived();
        }
    }

    /**
     * Deletes the events whose horizon has passed. Each queue is in insertion order, which is
     * time order but for late events; a late event may wait behind a later one, never go early.
     */
    private void dropShortLived() {
        long now = session.now();
        for (ArrayDeque<Held> queue : shortLived.values()) {
            while (!queue.isEmpty() && queue.peekFirst().dropAt() < now) session.delete(queue.pollFirst().handle());
        }
    }

    /**
     * Upserts the entities an event mentions. The event's subject (its first entity
     * reference) claims the event's values for the attributes its type declares; a claim
     * wins as the Program's `truth` declarations say (a preferred source is not overwritten
     * by a less preferred one), else the latest claim wins.
     */
    private void mentionEntities(CanonicalEvent event) {
        long time = event.time().toEpochMilli();
        boolean subject = true;
        for (EntityRef ref : event.entities()) {
            String id = ref.type() + ":" + ref.key();
            EntityFact entity = entities.get(id);
            boolean fresh = entity == null;
            if (fresh) {
                entity = new EntityFact(ref.type(), ref.key(), time);
                entities.put(id, entity);
            }
            entity.mention(time);
            if (subject) {
                var spec = catalog.entityType(ref.type());
                if (spec.isPresent()) {
                    for (String attribute : spec.get().attributes().keySet()) {
                        Object v = event.data().get(attribute);
                        if (v != null && wins(ref.type(), attribute, event.source(), entity.sourceOf(attribute))) {
                            entity.claim(attribute, v, event.source());
                        }
                    }
                }
            }
            if (fresh) session.insert(entity);
            else session.update(entity);
            subject = false;
        }
    }

    /** Whether a newer claim from `source` replaces the current value claimed by `current`. */
    private boolean wins(String entityType, String attribute, String source, String current) {
        List<String> preference = truth.preference(entityType, attribute);
        if (current == null || preference.isEmpty()) return true;
        return rank(preference, source) <= rank(preference, current);
    }

    private static int rank(List<String> preference, String source) {
        int i = preference.indexOf(source);
        return i < 0 ? preference.size() : i;
    }

    /** Builds the fact the rules see, scored by the Program's significance block. Copies nothing. */
    public EventFact toFact(CanonicalEvent event) {
        List<EntityRef> entities = event.entities();
        List<String> refs = entities.isEmpty() ? List.of() : new java.util.AbstractList<>() {
            @Override
            public String get(int i) {
                return entities.get(i).type() + ":" + entities.get(i).key();
            }

            @Override
            public int size() {
                return entities.size();
            }
        };
        EventFact fact = new EventFact(event.id(), event.source(), event.type(), event.time().toEpochMilli(),
                scorer.baseline(event), event.data(), refs);
        return scorer.hasClauses(event.type()) ? fact.withSignificance(scorer.score(fact, context(), f -> significanceFailed(event.id(), f))) : fact;
    }

    /** A clause of the significance block failed on an event: a rule error of that event; the event goes on. */
    private void significanceFailed(String eventId, SignificanceScorer.ClauseFailure f) {
        Provenance provenance = new Provenance(Provenance.Kind.SIGNIFICANCE, f.eventType(), null, List.of(eventId),
                null, program.version());
        report(new TimelineEntry.RuleError(Instant.ofEpochMilli(now()),
                "significance clause `" + f.eventType() + " … => " + f.clauseScore() + "` on " + eventId + " failed: "
                        + describe(f.error()) + "; the clause counts as not matching", provenance));
    }

    /**
     * Decides an intent against every deny guard at the current time: hard denials
     * beat soft ones, soft ones can be overridden by a named actor, advisory ones only
     * warn. An allowed intent plans the actions it resolves to.
     */
    public TimelineEntry.Decision decide(IntentRequest request) {
        // Stamped no earlier than the session's clock: a fact from before it would have expired
        // from working memory on insert (and its delete would fail), an intent is decided now.
        long at = dryRunning ? now() : Math.max(request.time().toEpochMilli(), now());
        IntentFact fact = new IntentFact(request.id(), request.intent(), request.actor(), request.reason(),
                at, request.params());
        denials = new ArrayList<>();
        decidingIntentId = request.id();
        FactHandle handle = null;
        List<TimelineEntry.Denial> found;
        try {
            handle = session.insert(fact);
            session.fireAllRules();
            found = List.copyOf(denials);
        } finally {
            // Also when firing threw: an intent left in memory would be matched again by the next decision.
            if (handle != null) session.delete(handle);
            decidingIntentId = null;
            denials = null;
        }
        boolean hard = found.stream().anyMatch(d -> d.level().equals("hard"));
        boolean soft = found.stream().anyMatch(d -> d.level().equals("soft"));
        String refused = soft && !hard && request.override() != null ? overrideRefused(request, fact, found) : null;
        TimelineEntry.Verdict verdict = hard ? TimelineEntry.Verdict.DENY
                : soft && (request.override() == null || refused != null) ? TimelineEntry.Verdict.NEEDS_OVERRIDE
                : TimelineEntry.Verdict.ALLOW;
        TimelineEntry.Override override = soft && !hard && refused == null ? request.override() : null;
        List<TimelineEntry.PlannedAction> actions = new ArrayList<>();
        CompiledProgram.IntentInfo intent = program.intents().get(request.intent());
        if (verdict == TimelineEntry.Verdict.ALLOW && intent != null) {
            Provenance provenance = new Provenance(Provenance.Kind.INTENT, intent.name(), intent.span(), List.of(),
                    request.id(), program.version());
            for (CompiledAction action : intent.resolve()) {
                TimelineEntry.PlannedAction planned = plan(action, new Object[]{fact}, provenance, "intent:" + request.id());
                if (planned != null) actions.add(planned);
            }
        }
        TimelineEntry.Decision decision = new TimelineEntry.Decision(Instant.ofEpochMilli(now()), request.id(), request.intent(),
                request.actor(), request.reason(), request.params(), verdict, found, actions, override, refused, program.version());
        if (!dryRunning) sink.accept(decision);
        return decision;
    }

    /**
     * Why the override sent with the intent does not lift its soft denials, or null when it does: every
     * soft invariant that denied it must let that actor override (its `override by`, else anyone but the sender).
     */
    private String overrideRefused(IntentRequest request, IntentFact fact, List<TimelineEntry.Denial> found) {
        List<String> reasons = new ArrayList<>();
        for (TimelineEntry.Denial denial : found) {
            if (!denial.level().equals("soft")) continue;
            CompiledProgram.GuardInfo guard = program.guards().stream().filter(g -> g.id().equals(denial.invariant())).findFirst().orElseThrow();
            if (guard.override().judge(request.actor(), request.override().actor(), fact, program.directory(), context(),
                    guard.id()) instanceof OverridePolicy.Judgement.Refused r) {
                reasons.add(r.reason());
            }
        }
        return reasons.isEmpty() ? null : String.join("; ", reasons);
    }

    /**
     * Decides an intent as {@link #decide} does, at the session's current time, changing nothing:
     * no output is reported (not even a failing condition's rule error), and the actions it would
     * plan are not remembered as planned, so the same intent decided for real plans them.
     */
    public TimelineEntry.Decision dryRun(IntentRequest request) {
        dryRunning = true;
        try {
            return decide(request);
        } finally {
            dryRunning = false;
        }
    }

    /** The sink, unless a dry run is being decided (which reports nothing). */
    private void report(TimelineEntry entry) {
        if (!dryRunning) sink.accept(entry);
    }

    private TimelineEntry.PlannedAction plan(CompiledAction action, Object[] facts, Provenance provenance, String identity) {
        // The events in binding order: (e1, e2) and (e2, e1) are two bindings, hence two actions.
        // Counted events come sorted by time (see ruleFired), so their order is no accident of Drools.
        String actionId = actionId(identity + "|" + String.join(",", provenance.eventIds()) + "|" + action.index());
        // A dry run plans nothing for real: it neither takes an identity nor counts a duplicate.
        boolean taken = provenance.eventIds().isEmpty()
                ? (dryRunning ? eventlessActionIds.contains(actionId) : !eventlessActionIds.add(actionId))
                : (dryRunning ? plannedActionIds.containsKey(actionId) : plannedActionIds.putIfAbsent(actionId, now()) != null);
        if (taken) {
            if (!dryRunning) duplicateActionsSkipped++;
            return null;
        }
        try {
            Map<String, Object> args = action.evaluate(facts, context());
            return new TimelineEntry.PlannedAction(Instant.ofEpochMilli(now()), actionId, action.tool(), args, action.index(), provenance,
                    action.approvers(facts, context()));
        } catch (ActionSkipped skipped) {
            report(new TimelineEntry.SkippedAction(Instant.ofEpochMilli(now()), actionId, action.tool(), action.index(),
                    skipped.reason(), provenance));
            return null;
        } catch (MissingArgumentException e) {
            // Never planned with a null or a hole in its text. Its identity stays taken: one error, not one per re-match.
            report(new TimelineEntry.RuleError(Instant.ofEpochMilli(now()),
                    "action " + action.tool() + " (" + action.span() + ") on " + triggers(provenance)
                            + " not planned: " + e.getMessage(), provenance));
            return null;
        } catch (RuntimeException e) {
            report(new TimelineEntry.RuleError(Instant.ofEpochMilli(now()),
                    "action " + action.tool() + " (" + action.span() + ") on " + triggers(provenance)
                            + " failed: " + describe(e), provenance));
            return null;
        }
    }

    private static String triggers(Provenance p) {
        return p.eventIds().isEmpty() && p.intentId() != null ? "intent " + p.intentId() : String.join(", ", p.eventIds());
    }

    /** The built-ins' context at the current time; made once per clock tick, not per condition. */
    private Builtin.Context context() {
        long now = session.now();
        if (context == null || context.now() != now) context = new Builtin.Context(program.directory(), program.zone(), now);
        return context;
    }

    private static String actionId(String identity) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(identity.getBytes(StandardCharsets.UTF_8));
            return "act_" + HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String describe(Throwable e) {
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }

    private static List<String> eventIds(Object[] facts) {
        List<String> ids = new ArrayList<>();
        for (Object f : facts) {
            if (f instanceof EventFact e) ids.add(e.getId());
            else if (f instanceof IntentFact i) ids.add(i.getId());
        }
        return ids;
    }

    /** The latest counted event; of several at that time, the one with the greatest id, so the choice is the same in every run. */
    private static Object newest(Object[] counted) {
        EventFact best = null;
        for (Object o : counted) {
            if (!(o instanceof EventFact e)) continue;
            if (best == null || e.getTime() > best.getTime() || e.getTime() == best.getTime() && e.getId().compareTo(best.getId()) > 0) {
                best = e;
            }
        }
        return best;
    }

    private static Map<Integer, Owner> conditionOwners(CompiledProgram program) {
        Map<Integer, Owner> owners = new HashMap<>();
        for (var rule : program.rules()) {
            for (CoreElement e : rule.core().when()) own(owners, e.pattern(), new Owner(Provenance.Kind.RULE, rule.id(), rule.core().span()));
        }
        for (var guard : program.guards()) {
            Owner owner = new Owner(Provenance.Kind.INVARIANT, guard.id(), guard.core().span());
            own(owners, guard.core().intentPattern(), owner);
            guard.core().state().stream().flatMap(CoreElement::patterns).forEach(p -> own(owners, p, owner));
        }
        for (var state : program.stateInvariants()) {
            Owner owner = new Owner(Provenance.Kind.INVARIANT, state.id(), state.core().span());
            own(owners, state.core().every(), owner);
            own(owners, state.core().has(), owner);
        }
        return Map.copyOf(owners);
    }

    private static void own(Map<Integer, Owner> owners, FactPattern p, Owner owner) {
        if (p.conditionId() >= 0) owners.put(p.conditionId(), owner);
    }

    @Override
    public void close() {
        session.close();
    }

    /** The global `cond`: runs compiled conditions; a failing one is recorded and counts as false. */
    private final class SessionConditions implements Conditions {
        @Override
        public boolean test(int id, Object a) {
            return test(id, new Object[]{a});
        }

        @Override
        public boolean test(int id, Object a, Object b) {
            return test(id, new Object[]{a, b});
        }

        @Override
        public boolean test(int id, Object a, Object b, Object c) {
            return test(id, new Object[]{a, b, c});
        }

        @Override
        public boolean notLaterThan(long epochMillis) {
            return now() <= epochMillis;
        }

        @Override
        public boolean test(int id, Object[] facts) {
            try {
                beforeCondition.accept(id);
                return program.conditions().test(id, facts, context());
            } catch (RuntimeException | StackOverflowError e) {
                // A condition that fails (even by overflowing its stack) is an error of its own rule only:
                // thrown into Drools it would abandon the event for every other rule too.
                Owner owner = conditionOwners.get(id);
                Provenance provenance = new Provenance(owner.kind(), owner.id(), owner.span(), eventIds(facts),
                        decidingIntentId, program.version());
                report(new TimelineEntry.RuleError(Instant.ofEpochMilli(now()),
                        "condition of `" + owner.id() + "` on " + String.join(", ", eventIds(facts)) + " failed: " + describe(e),
                        provenance));
                return false;
            }
        }
    }

    private static final java.util.Comparator<Object> COUNTED_ORDER = java.util.Comparator
            .comparingLong((Object f) -> ((EventFact) f).getTime()).thenComparing(f -> ((EventFact) f).getId());

    /** The global `out`: turns firings into timeline entries with provenance. */
    private final class SessionOutputs implements Outputs {
        @Override
        public void ruleFired(int ruleIndex, Object[] facts) {
            CompiledProgram.RuleInfo rule = program.rules().get(ruleIndex);
            if (countingRules[ruleIndex]) {
                // Drools does not promise the order of counted facts: by time, then id, as the semantics states.
                facts = facts.clone();
                java.util.Arrays.sort(facts, COUNTED_ORDER);
            }
            Provenance provenance = new Provenance(Provenance.Kind.RULE, rule.id(), rule.core().span(), eventIds(facts),
                    null, program.version());
            // A counting rule reports every counted event; its actions see the newest as the count's binding.
            Object[] seen = countingRules[ruleIndex] ? new Object[]{newest(facts)} : facts;
            for (CompiledAction action : rule.actions()) {
                TimelineEntry.PlannedAction planned = plan(action, seen, provenance, "rule:" + rule.id());
                if (planned != null) report(planned);
            }
        }

        @Override
        public void denied(int invariantIndex, IntentFact intent, Object[] facts) {
            if (denials == null || !intent.getId().equals(decidingIntentId)) return;   // only the intent being decided
            var guard = program.guards().get(invariantIndex).core();
            Provenance provenance = new Provenance(Provenance.Kind.INVARIANT, guard.id(), guard.span(), List.of(),
                    intent.getId(), program.version());
            denials.add(new TimelineEntry.Denial(guard.id(), guard.level().keyword(), guard.title(), guard.because(), provenance));
        }

        @Override
        public void violated(int invariantIndex, Object[] facts) {
            var state = program.stateInvariants().get(invariantIndex).core();
            Provenance provenance = new Provenance(Provenance.Kind.INVARIANT, state.id(), state.span(), eventIds(facts),
                    null, program.version());
            report(new TimelineEntry.Violation(Instant.ofEpochMilli(now()), state.id(), state.level().keyword(),
                    state.title(), state.because(), provenance));
        }

        @Override
        public void resolved(int intentIndex, IntentFact intent) {
            // Intents resolve in Java after the decision (see decide); generated DRL has no resolve rules.
        }
    }
}
