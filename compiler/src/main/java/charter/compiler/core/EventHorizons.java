package charter.compiler.core;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * How long the engine must keep an event of each type for the Program to see it as a whole
 * Program would if it kept everything: the longest window any pattern on that type takes part
 * in. Types no pattern names need not be kept at all; so a server that receives every GitHub
 * event keeps only the few kinds its rules read, and each only as long as its own windows, not
 * for the Program's longest one.
 *
 * <p>A pattern takes part in a window when it is linked to an anchor ({@code within W after a}),
 * when it is the anchor others are linked to (a pending {@code not … within W after a} needs
 * its anchor until the window closes; the event that fills it must stay as long, or its
 * expiry would reopen the window), or when it is counted over one. A pattern in no window
 * that shares its rule or guard with other patterns sees whatever is in memory, so its type
 * is kept for the {@link #longest} window, as every type was before. A rule's only pattern
 * with no window fires when its event arrives and needs it no longer: {@link #AT_ONCE}. Last, the type
 * in a {@code not … within W after a} is kept at least as long as the type of {@code a}.
 *
 * @param longest the longest window of the Program (at least {@link #MIN_MILLIS}): the
 *                generated {@code @expires}, which bounds every type
 * @param byType  event type → how long it is kept; a type that is absent is not kept
 */
public record EventHorizons(long longest, Map<String, Long> byType) {
    /** The generated {@code @expires} is at least this long. */
    public static final long MIN_MILLIS = 1_000;
    /** The horizon of a type only single-pattern rules read: gone once those rules have run on it. */
    public static final long AT_ONCE = 0;

    public EventHorizons {
        byType = Map.copyOf(byType);
    }

    /** How long an event of this type is kept ({@link #AT_ONCE}: not past its own rules), or -1 when no pattern of the Program matches it. */
    public long of(String type) {
        Long h = byType.get(type);
        return h == null ? -1 : h;
    }

    public static EventHorizons of(List<CoreRule> rules, List<CoreGuard> guards, List<CoreStateInvariant> states) {
        long longest = MIN_MILLIS;
        for (CoreRule r : rules) {
            for (CoreElement e : r.when()) longest = Math.max(longest, window(e));
        }
        for (CoreGuard g : guards) {
            for (CoreElement e : CoreElement.flatten(g.state()).toList()) longest = Math.max(longest, window(e));
        }
        for (CoreStateInvariant s : states) longest = Math.max(longest, s.windowMillis());

        Map<String, Long> byType = new HashMap<>();
        List<Outlives> outlives = new ArrayList<>();
        for (CoreRule r : rules) group(r.when(), null, longest, byType, outlives);
        // Nested elements (a guard's exists tied to another) join their group as if written beside it.
        for (CoreGuard g : guards) group(CoreElement.flatten(g.state()).toList(), g.intentPattern(), longest, byType, outlives);
        for (CoreStateInvariant s : states) {
            keep(byType, s.every(), s.windowMillis());
            keep(byType, s.has(), s.windowMillis());
            if (s.every().kind() == FactPattern.FactKind.EVENT) outlives.add(new Outlives(s.has().type(), s.every().type(), 0));
        }
        // An event that filled a `not … within W after|before a` must not go before `a` does: with it
        // gone and `a` still there, the negation would hold again and fire late. Looking back, the
        // filler is up to W older than `a`, so it must be kept W longer. Rounds are bounded: look-back
        // absences that anchor on each other's types in a cycle cannot all be satisfied.
        for (int round = 0, changed = 1; changed > 0 && round <= outlives.size(); round++) {
            changed = 0;
            for (Outlives o : outlives) {
                long need = byType.getOrDefault(o.anchor(), 0L) + o.extra();
                if (byType.getOrDefault(o.filler(), 0L) < need) {
                    byType.put(o.filler(), need);
                    changed++;
                }
            }
        }
        // The generated @expires bounds every type, so it covers the longest of them.
        for (long keep : byType.values()) longest = Math.max(longest, keep);
        return new EventHorizons(longest, byType);
    }

    /** The patterns of one rule or guard ({@code intent}: the guard's intent pattern, an anchor that is not an event). */
    private static void group(List<CoreElement> elements, FactPattern intent, long longest, Map<String, Long> byType,
                              List<Outlives> outlives) {
        Map<String, Long> anchoring = new HashMap<>();   // var → the longest window linked to it
        Map<String, FactPattern> byVar = new HashMap<>();
        for (CoreElement e : elements) {
            byVar.put(e.pattern().var(), e.pattern());
            FactPattern.TemporalLink link = e.pattern().temporal();
            if (link != null) anchoring.merge(link.anchorVar(), link.windowMillis(), Math::max);
        }
        for (CoreElement e : elements) {
            FactPattern.TemporalLink link = e.pattern().temporal();
            FactPattern anchor = link == null ? null : byVar.get(link.anchorVar());
            if (e instanceof CoreElement.Absent && anchor != null && anchor.kind() == FactPattern.FactKind.EVENT) {
                outlives.add(new Outlives(e.pattern().type(), anchor.type(), link.after() ? 0 : link.windowMillis()));
            }
        }
        boolean alone = elements.size() == 1 && intent == null && elements.getFirst() instanceof CoreElement.Match;
        // Every event of a rule's combination is needed as long as a later pattern may still complete
        // it: the combination's span, the longest path between two patterns along their windows. Its
        // own window alone is not enough: `c within 10m after a` waits for `b within 1h after a`.
        long span = intent == null && elements.size() > 1 ? span(elements) : 0;
        // A guard is decided at the intent's instant: an event reached through a chain of windows
        // (`exists(x … within 1h before intent)` tied to `y within 10m after x`) is needed as long as
        // the chain can still lead from it to an intent. The sum of the guard's windows bounds every path.
        if (intent != null && elements.size() > 1) span = elements.stream().mapToLong(EventHorizons::window).sum();
        for (CoreElement e : elements) {
            FactPattern p = e.pattern();
            long need = Math.max(window(e), span);
            need = Math.max(need, anchoring.getOrDefault(p.var(), 0L));
            if (need == 0) need = alone ? AT_ONCE : longest;
            keep(byType, p, need);
        }
    }

    /**
     * The longest distance between two positive patterns of a rule, walking their windows (each pattern
     * links to one earlier pattern, so the links form a tree): how far apart in time the events
     * of one combination can be.
     */
    private static long span(List<CoreElement> elements) {
        Map<String, Map<String, Long>> edges = new HashMap<>();
        for (CoreElement e : elements) {
            if (!(e instanceof CoreElement.Match)) continue;   // an absence completes nothing; its filler outlives its anchor
            FactPattern.TemporalLink link = e.pattern().temporal();
            edges.computeIfAbsent(e.pattern().var(), v -> new HashMap<>());
            if (link == null) continue;
            edges.computeIfAbsent(link.anchorVar(), v -> new HashMap<>()).put(e.pattern().var(), link.windowMillis());
            edges.get(e.pattern().var()).put(link.anchorVar(), link.windowMillis());
        }
        long longest = 0;
        for (String from : edges.keySet()) longest = Math.max(longest, farthest(edges, from, null));
        return longest;
    }

    private static long farthest(Map<String, Map<String, Long>> edges, String at, String cameFrom) {
        long best = 0;
        for (Map.Entry<String, Long> next : edges.get(at).entrySet()) {
            if (next.getKey().equals(cameFrom)) continue;
            best = Math.max(best, next.getValue() + farthest(edges, next.getKey(), at));
        }
        return best;
    }

    /** Events of type {@code filler} are kept at least {@code extra} ms longer than those of type {@code anchor}. */
    private record Outlives(String filler, String anchor, long extra) {}

    private static long window(CoreElement e) {
        if (e instanceof CoreElement.Counted c) return c.windowMillis();
        return e.pattern().temporal() == null ? 0 : e.pattern().temporal().windowMillis();
    }

    private static void keep(Map<String, Long> byType, FactPattern p, long millis) {
        if (p.kind() != FactPattern.FactKind.EVENT) return;
        byType.merge(p.type(), millis, Math::max);
    }
}
