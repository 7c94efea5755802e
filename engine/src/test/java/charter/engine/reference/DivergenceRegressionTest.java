package charter.engine.reference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import charter.compiler.Compilation;
import charter.engine.event.EventFileReader;
import charter.engine.intent.IntentFileReader;
import charter.engine.result.SimulationResult;
import charter.engine.runtime.Simulator;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every divergence the differential tests found between the compiled path and the reference
 * interpreter, shrunk, with the outputs the semantics asks for. Each runs through both.
 */
class DivergenceRegressionTest {
    private static final String PEOPLE = """
            program "differential"
            person alice { github "alice-gh" }
            team platform { members alice  owns project "api" }
            intent ship(repo: string, target: string) "Ship" {
              resolve vercel.deploy(project: intent.repo, sha: "x", target: intent.target)
            }
            """;

    /** Runs both; they must agree, and the compiled timeline must be exactly {@code expected} (as Outcomes lines). */
    private static void agree(String declarations, String events, String intents, List<String> expected) {
        DiffCase c = new DiffCase(PEOPLE, List.of(declarations), List.of(), List.of());
        Differential differential = new Differential();
        Compilation compilation = differential.compile(c);
        assertTrue(compilation.ok(), () -> compilation.diagnostics().toString());
        var program = compilation.program();
        var e = new EventFileReader().read("events.jsonl", events);
        var i = new IntentFileReader(program).read("intents.jsonl", intents);
        assertEquals(List.of(), e.errors());
        assertEquals(List.of(), i.errors());
        SimulationResult compiled = new Simulator().run(program, e.events(), i.intents(), null);
        SimulationResult reference = new ReferenceSimulator().run(program, e.events(), i.intents(), null);
        List<String> compiledLines = Outcomes.lines(compiled, false);
        assertEquals("", Outcomes.diff(compiledLines, Outcomes.lines(reference, false)));
        assertEquals(expected, compiledLines.subList(2, compiledLines.size()).stream().map(DivergenceRegressionTest::brief).toList());
    }

    /** "TIME kind …" cut to the time, the kind and who: enough to pin an output. */
    private static String brief(String line) {
        String[] parts = line.split(" ");
        return parts[0] + " " + parts[1] + " " + (parts[1].equals("action") ? parts[3].replaceAll("\\{.*", "") + " " + line.replaceAll(".* by ([A-Z]+:[^@]+)@.*", "$1") : parts[2]);
    }

    /** D1: an entity changed by an event of a type no pattern reads was not seen until some later event fired the rules. */
    @Test
    void entityRuleFiresOnTheEventThatChangesTheEntity() {
        agree("""
                rule r1 {
                  when deployment s where s.target == "production"
                  then slack.post(channel: "#e", text: "${s.key} ${s.project} ${owner(s.project)} ${s.occurrences}")
                }
                """, """
                {"id":"e4","source":"vercel","type":"vercel.deployment.error","time":"2026-04-09T09:08:07.014Z","data":{"deployment_id":"d1","project":"etl","target":"production"},"entities":[{"type":"deployment","key":"d1"}]}
                """, "", List.of("2026-04-09T09:08:07.014Z action slack.post RULE:r1"));
    }

    /**
     * D4: a rule on an entity alone, changed again an hour later: its action's identity names no
     * event, so it is taken for good; the compiled path forgot it past the Program's (short) longest
     * window and planned the same action again.
     */
    @Test
    void anEntityRulesActionIsPlannedOnceEvenLongAfter() {
        agree("""
                rule r1 {
                  when deployment s where s.target == "production"
                  then slack.post(channel: "#e", text: "${s.key} ${s.project} ${owner(s.project)} ${s.occurrences}")
                }
                """, """
                {"id":"e2","source":"vercel","type":"vercel.deployment.error","time":"2026-04-09T08:46:03.840Z","data":{"deployment_id":"d1","project":"web","target":"production","url":"https://a.vercel.app"},"entities":[{"key":"d1","type":"deployment"}]}
                {"id":"e4","source":"vercel","type":"vercel.deployment.error","time":"2026-04-09T09:46:03.842Z","data":{"deployment_id":"d1","project":"web","target":"production","url":"https://a.vercel.app"},"entities":[{"key":"d1","type":"deployment"}]}
                """, "", List.of("2026-04-09T08:46:03.840Z action slack.post RULE:r1"));
    }

    /**
     * D5: a guard's exists tied to another one's binding (`y within 10m after x`, `x within 1h before
     * intent`): y was kept only for its own 10 minutes, so it was gone when the intent came 14 minutes
     * after it, and the guard did not deny.
     */
    @Test
    void aTiedExistsSeesAnEventReachedThroughTheWholeChainOfWindows() {
        agree("""
                invariant g2 "guard" advisory {
                  deny ship where exists(sentry.issue.resolved x0 where x0.project == intent.repo and exists(sentry.error.created y0 where y0.issue_id == x0.issue_id within 10m after x0) within 1h before intent)
                  because "generated"
                }
                """, """
                {"id":"e4","source":"sentry","type":"sentry.issue.resolved","time":"2026-04-09T09:46:05.485Z","data":{"issue_id":"1","project":"web","status":"unresolved","title":"bad"},"entities":[{"type":"sentry_issue","key":"1"}]}
                {"id":"e5","source":"sentry","type":"sentry.error.created","time":"2026-04-09T09:56:05.485Z","data":{"issue_id":"1","project":"web","level":"fatal","title":"bad"}}
                """, """
                {"id":"i1","intent":"ship","actor":"alice-gh","time":"2026-04-09T10:09:48.577Z","params":{"repo":"web","target":"production"}}
                """, List.of("2026-04-09T10:09:48.577Z decision i1"));   // the reference's advisory denial, which agree() compares
    }

    /**
     * D6: in a guard, an exists not tied to another's binding is its own question: `x1` may be the
     * event `x0` bound (the reference excluded every event bound so far, the compiled path only
     * those of the bindings a pattern names; the semantics now say the latter).
     */
    @Test
    void anUntiedExistsMayMatchTheEventAnotherExistsBound() {
        agree("""
                invariant g2 "guard" soft {
                  deny ship where exists(vercel.deployment.error x0 where x0.project == intent.repo within 1m before intent)
                    and not exists(vercel.deployment.error y0 where y0.target == x0.target within 1m before x0)
                    and exists(vercel.deployment.error x1 where x1.project == intent.repo and not exists(vercel.deployment.error y1 where y1.target == x1.target within 10m after x1) within 1h before intent)
                  because "generated"
                }
                """, """
                {"id":"e2","source":"vercel","type":"vercel.deployment.error","time":"2026-04-09T08:27:49.335Z","data":{"deployment_id":"d1","project":"etl","target":"production","url":"https://a.vercel.app"},"entities":[{"type":"deployment","key":"d1"}]}
                """, """
                {"id":"i0","intent":"ship","actor":"bob-gh","time":"2026-04-09T08:27:49.335Z","params":{"repo":"etl","target":"preview"}}
                """, List.of("2026-04-09T08:27:49.335Z decision i0"));
    }

    /**
     * D7: two rules whose absences anchor on each other's event types in a cycle. The per-type
     * horizons cannot keep every filler as long as its anchor, so when the error that filled r0's
     * absence expired, the `not` held again and r0 fired 40 minutes late. A rule with an absence now
     * fires only while its combination is undecided.
     */
    @Test
    void anAbsenceWhoseFillerExpiresBeforeItsAnchorDoesNotFireLate() {
        agree("""
                rule r0 {
                  when sentry.issue.created a where owner(a.project) == team platform and a.significance >= 50
                    and not sentry.error.created x where x.issue_id == a.issue_id or x.issue_id != "1" or not (x.level == "error") within 1m after a
                  then slack.post(channel: "#c", text: a.title ?? skip)
                }
                rule r2 {
                  when sentry.error.created a
                    and not sentry.issue.created x where x.level == a.level and exists x.title and not (x.level == "fatal") within 10m before a
                  then slack.post(channel: "#c", text: "${a.project} of ${a.project} at ${now}")
                }
                """, """
                {"id":"e1","source":"sentry","type":"sentry.issue.created","time":"2026-04-09T08:01:00Z","data":{"project":"api","level":"error","status":"unresolved","title":"bad"}}
                {"id":"e2","source":"sentry","type":"sentry.error.created","time":"2026-04-09T08:01:00Z","data":{"issue_id":"1","project":"api","level":"fatal","title":"bad"}}
                {"id":"e4","source":"vercel","type":"vercel.deployment.error","time":"2026-04-09T08:35:05.645Z","data":{"deployment_id":"d1","project":"api","target":"preview"},"entities":[{"key":"d1","type":"deployment"}]}
                {"id":"e5","source":"sentry","type":"sentry.issue.created","time":"2026-04-09T09:35:05.645Z","data":{"issue_id":"1","project":"api","level":"error","status":"unresolved","title":"boom"},"entities":[{"key":"1","type":"sentry_issue"}]}
                """, "", List.of("2026-04-09T08:01:00Z action slack.post RULE:r2"));
    }

    /**
     * D2: a look-back absence filled by an event of the anchor's own type. Both are kept equally
     * long, so the filler expired first and the absence "held" again: the rule fired 30 minutes late.
     */
    @Test
    void lookBackAbsenceIsNotReopenedWhenItsFillerExpires() {
        agree("""
                rule r1 {
                  when vercel.deployment.succeeded a
                    and not vercel.deployment.succeeded x where exists x.project within 10m before a
                  then slack.post(channel: "#c", text: a.url)
                }
                """, """
                {"id":"e1","source":"vercel","type":"vercel.deployment.succeeded","time":"2026-04-09T08:37:35.412Z","data":{"project":"web","url":"https://a.vercel.app"}}
                {"id":"e2","source":"vercel","type":"vercel.deployment.succeeded","time":"2026-04-09T08:37:35.413Z","data":{"project":"web","url":"https://a.vercel.app"}}
                """, """
                {"id":"i0","intent":"ship","actor":"zed","time":"2026-04-09T10:37:35.415Z","params":{"repo":"api","target":"preview"}}
                """, List.of("2026-04-09T08:37:35.412Z action slack.post RULE:r1", "2026-04-09T10:37:35.415Z decision i0"));
    }

    /**
     * D3: in a rule of three patterns, an event is needed as long as the combination can still be
     * completed (here until a + 1h), not only for its own window (10m): c was dropped before b came.
     */
    @Test
    void eventOfAThreePatternRuleIsKeptUntilTheCombinationCanNoLongerComplete() {
        agree("""
                rule r0 {
                  when sentry.issue.resolved a
                    and sentry.error.created b where b.level == a.level within 1h after a
                    and sentry.issue.created c where c.issue_id == b.issue_id within 10m after a
                  then slack.post(channel: "#c", text: a.title)
                }
                """, """
                {"id":"e2","source":"sentry","type":"sentry.issue.resolved","time":"2026-04-09T09:01:00Z","data":{"issue_id":"1","level":"fatal","title":"bad"}}
                {"id":"e3","source":"sentry","type":"sentry.issue.created","time":"2026-04-09T09:01:59.999Z","data":{"issue_id":"2","level":"fatal"}}
                {"id":"e6","source":"sentry","type":"sentry.error.created","time":"2026-04-09T09:32:00.001Z","data":{"issue_id":"2","level":"fatal"}}
                """, "", List.of("2026-04-09T09:32:00.001Z action slack.post RULE:r0"));
    }
}
