package charter.engine.impact;

import charter.compiler.CompiledProgram;
import charter.compiler.diff.ProgramDiff;
import charter.compiler.diff.SemanticDiff;
import charter.engine.event.CanonicalEvent;
import charter.engine.intent.IntentRequest;
import java.util.List;

/**
 * A change between two Program versions: the semantic diff and, when inputs were replayed,
 * the impact analysis. {@code charter diff} (text, Markdown, JSON) and the server's
 * {@code POST /v1/diff} are renderings of this one object, built by {@link #between}.
 *
 * @param impact null when no events or intents were replayed
 */
public record ChangeReport(Side before, Side after, ProgramDiff diff, ImpactReport impact) {

    /** One version: where it was read from (a folder, or a repository and revision), its name and version. */
    public record Side(String source, String program, String version) {}

    /**
     * Diffs two compiled versions (each carrying the version it is known by: the content hash,
     * or the commit SHA when read from Git) and, when {@code events} or {@code intents} is not
     * null, replays them through both (no side effects) with the diff's renames applied.
     */
    public static ChangeReport between(String sourceA, CompiledProgram before, String sourceB, CompiledProgram after,
                                       List<CanonicalEvent> events, List<IntentRequest> intents, int examples) {
        ProgramDiff diff = SemanticDiff.between(before.drl().core().typed().program(), after.drl().core().typed().program());
        ImpactReport impact = null;
        if (events != null || intents != null) {
            impact = ImpactAnalysis.run(before, after, events == null ? List.of() : events, intents == null ? List.of() : intents,
                    ImpactAnalysis.Options.defaults().withRenames(diff.renames()).withExamples(examples));
        }
        return new ChangeReport(new Side(sourceA, before.name(), before.version()), new Side(sourceB, after.name(), after.version()),
                diff, impact);
    }
}
