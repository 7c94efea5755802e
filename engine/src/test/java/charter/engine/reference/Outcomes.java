package charter.engine.reference;

import charter.engine.result.SimulationResult;
import charter.engine.result.TimelineEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * A simulation result as comparable lines: one per output, in time order and, at one instant,
 * sorted (the order of outputs at one instant is not part of the comparison, see the reference
 * interpreter's documentation). Event ids of a provenance are compared as a set for counting rules
 * only through the action id, which sorts them; the list itself is compared in binding order.
 */
final class Outcomes {
    private Outcomes() {}

    private static final ThreadLocal<java.util.Set<String>> maskArgs = ThreadLocal.withInitial(java.util.Set::of);

    static List<String> lines(SimulationResult r, boolean sortEventIds) {
        return lines(r, sortEventIds, java.util.Set.of());
    }

    /** @param maskArgs action ids whose arguments are left out (see ReferenceSimulator#ambiguousActionIds) */
    static List<String> lines(SimulationResult r, boolean sortEventIds, java.util.Set<String> maskArgs) {
        Outcomes.maskArgs.set(maskArgs);
        List<String> out = new ArrayList<>();
        out.add("program " + r.program() + " " + r.version() + " from " + r.from() + " until " + r.until()
                + " events " + r.events() + " intents " + r.intents());
        out.add("counts " + new TreeMap<>(r.countsByRule()));
        List<String> entries = new ArrayList<>();
        for (TimelineEntry e : r.timeline()) entries.add(line(e, sortEventIds));
        entries.sort(String::compareTo);   // each line starts with its ISO time, so this is time order first
        out.addAll(entries);
        return out;
    }

    private static String line(TimelineEntry e, boolean sortEventIds) {
        return switch (e) {
            case TimelineEntry.PlannedAction a -> action(a, sortEventIds);
            case TimelineEntry.Decision d -> d.time() + " decision " + d.intentId() + " " + d.intent() + " by " + d.actor()
                    + " " + d.params() + " " + d.verdict() + " denials "
                    + d.denials().stream().map(x -> x.invariant() + "/" + x.level() + "@" + x.provenance().location()).sorted().toList()
                    + " reason " + d.reason() + " override " + d.override()
                    // Why an override was refused is each implementation's own words; that it was must agree.
                    + " refused " + (d.overrideRefused() != null) + " actions " + d.actions().stream().map(a -> action(a, sortEventIds)).toList();
            case TimelineEntry.Violation v -> v.time() + " violation " + v.invariant() + " " + v.level() + " "
                    + v.provenance().eventIds() + " @" + v.provenance().location();
            // The message is the implementation's own words; what failed, when and on what must agree.
            case TimelineEntry.RuleError r -> r.time() + " error " + r.provenance().kind() + ":" + r.provenance().id() + " events "
                    + r.provenance().eventIds().stream().sorted().toList() + " intent " + r.provenance().intentId();
            case TimelineEntry.SkippedAction k -> k.time() + " skipped " + k.actionId() + " " + k.tool() + " #" + k.actionIndex()
                    + " by " + k.provenance().kind() + ":" + k.provenance().id() + " " + k.reason();
        };
    }

    private static String action(TimelineEntry.PlannedAction a, boolean sortEventIds) {
        List<String> ids = new ArrayList<>(a.provenance().eventIds());
        if (sortEventIds) ids.sort(String::compareTo);
        Object args = maskArgs.get().contains(a.actionId()) ? "{…}" : a.args();
        return a.time() + " action " + a.actionId() + " " + a.tool() + args + " #" + a.actionIndex() + " by "
                + a.provenance().kind() + ":" + a.provenance().id() + "@" + a.provenance().location() + " events " + ids
                + " intent " + a.provenance().intentId() + (a.approvers().isEmpty() ? "" : " approval by " + a.approvers());
    }

    /** Empty when equal, else a unified-style listing of the lines only one side has. */
    static String diff(List<String> compiled, List<String> reference) {
        List<String> onlyCompiled = new ArrayList<>(compiled);
        for (String s : reference) onlyCompiled.remove(s);
        List<String> onlyReference = new ArrayList<>(reference);
        for (String s : compiled) onlyReference.remove(s);
        if (onlyCompiled.isEmpty() && onlyReference.isEmpty()) return "";
        StringBuilder out = new StringBuilder();
        for (String s : onlyCompiled) out.append("- compiled:  ").append(s).append('\n');
        for (String s : onlyReference) out.append("+ reference: ").append(s).append('\n');
        return out.toString();
    }
}
