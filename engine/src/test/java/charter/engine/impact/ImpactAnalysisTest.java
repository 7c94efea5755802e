package charter.engine.impact;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import charter.compiler.Compilation;
import charter.compiler.CompiledProgram;
import charter.compiler.ProgramCompiler;
import charter.compiler.catalog.Catalog;
import charter.compiler.diag.DiagnosticRenderer;
import charter.compiler.load.ProgramFiles;
import charter.engine.event.CanonicalEvent;
import charter.engine.event.EventFileReader;
import charter.engine.event.EventFileResult;
import charter.engine.impact.ImpactReport.ActionDelta;
import charter.engine.impact.ImpactReport.DecisionDelta;
import charter.engine.impact.ImpactReport.Denier;
import charter.engine.impact.ImpactReport.InvariantCounts;
import charter.engine.intent.IntentFileReader;
import charter.engine.intent.IntentRequest;
import charter.engine.result.TimelineEntry.Verdict;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Impact of changes to the acme Program, replayed over its recorded events and intents. */
class ImpactAnalysisTest {
    static final Path ACME = Path.of("../program-examples/acme");
    static ProgramFiles acmeFiles;
    static CompiledProgram acme;
    static List<CanonicalEvent> events;
    static List<IntentRequest> intents;

    @BeforeAll
    static void load() throws Exception {
        acmeFiles = ProgramFiles.fromDirectory(ACME);
        acme = compile(acmeFiles);
        EventFileResult read = new EventFileReader().read(ACME.resolve("events.jsonl"));
        assertEquals(List.of(), read.errors());
        events = read.events();
        IntentFileReader.Result readIntents = new IntentFileReader(acme).read(ACME.resolve("intents.jsonl"));
        assertEquals(List.of(), readIntents.errors());
        intents = readIntents.intents();
    }

    static CompiledProgram compile(ProgramFiles files) {
        Compilation c = new ProgramCompiler(Catalog.standard()).compile(files);
        if (!c.ok()) {
            DiagnosticRenderer r = new DiagnosticRenderer(c.sources());
            fail(String.join("\n", c.diagnostics().stream().map(r::render).toList()));
        }
        return c.program();
    }

    /** acme with `from` replaced by `to` in one file. */
    static CompiledProgram edited(String file, String from, String to) {
        return edited(List.<String[]>of(new String[]{file, from, to}));
    }

    /** acme with two replacements (possibly in two files). */
    static CompiledProgram edited(String file, String from, String to, String file2, String from2, String to2) {
        return edited(List.of(new String[]{file, from, to}, new String[]{file2, from2, to2}));
    }

    static CompiledProgram edited(List<String[]> edits) {
        Map<String, byte[]> files = new TreeMap<>(acmeFiles.files());
        for (String[] edit : edits) {
            String text = new String(files.get(edit[0]), StandardCharsets.UTF_8);
            assertTrue(text.contains(edit[1]), () -> "not in " + edit[0] + ": " + edit[1]);
            files.put(edit[0], text.replace(edit[1], edit[2]).getBytes(StandardCharsets.UTF_8));
        }
        return compile(new ProgramFiles(acmeFiles.root(), files));
    }

    static ImpactReport impact(CompiledProgram after) {
        return ImpactAnalysis.run(acme, after, events, intents);
    }

    @Test
    void sameProgramHasNoImpact() {
        ImpactReport r = impact(compile(acmeFiles));
        assertTrue(r.isEmpty(), r::toString);
        assertEquals(307, r.events());
        assertEquals(intents.size(), r.intents());
        assertEquals(List.of(), r.rules());
        assertEquals(List.of(), r.invariants());
    }

    @Test
    void overridesAreReplayedUnderTheNewOverrideRule() {
        // int-008: erin (Product) ships api with alice's (Platform) override. Only Product may override now.
        CompiledProgram after = edited("intents.charter",
                "    because \"The owners know the rollout risks; override with a reason if they agreed\"\n    override by owner(intent.project)",
                "    because \"The owners know the rollout risks; override with a reason if they agreed\"\n    override by team product");
        ImpactReport r = impact(after);
        assertEquals(Map.of("allow → needs-override", 1), r.flips(), r::toString);
        DecisionDelta flipped = r.decisionsFlipped().examples().getFirst();
        assertEquals("int-008", flipped.intentId());
        assertEquals(2, r.actionsRemoved().count(), r::toString);
        assertEquals(Verdict.ALLOW, flipped.before());
        assertEquals(Verdict.NEEDS_OVERRIDE, flipped.after());
        assertTrue(flipped.overridden(), flipped::toString);
    }

    @Test
    void softToHardFlipsOverriddenAndPendingDecisionsAndRemovesTheirActions() {
        CompiledProgram after = edited("intents.charter",
                "invariant ship_by_owning_team \"Production deploys are made by the owning team\" soft",
                "invariant ship_by_owning_team \"Production deploys are made by the owning team\" hard");
        ImpactReport r = impact(after);
        // int-007: erin (Product) ships api without override: needs-override → deny.
        // int-008: the same with alice's override: allow → deny, and its two resolve actions are gone.
        assertEquals(Map.of("allow → deny", 1, "needs-override → deny", 1), r.flips(), r::toString);
        assertEquals(2, r.decisionsFlipped().count());
        DecisionDelta first = r.decisionsFlipped().examples().get(0);
        assertEquals("int-007", first.intentId());
        assertEquals(Verdict.NEEDS_OVERRIDE, first.before());
        assertEquals(Verdict.DENY, first.after());
        assertEquals(List.of(new Denier("ship_by_owning_team", "soft")), first.deniedBefore());
        assertEquals(List.of(new Denier("ship_by_owning_team", "hard")), first.deniedAfter());
        DecisionDelta second = r.decisionsFlipped().examples().get(1);
        assertEquals("int-008", second.intentId());
        assertEquals(Verdict.ALLOW, second.before());
        assertTrue(second.overridden());

        assertEquals(2, r.actionsRemoved().count());
        for (ActionDelta a : r.actionsRemoved().examples()) {
            assertEquals("ship", a.source());
            assertEquals("int-008", a.intentId());
            assertNull(a.argsAfter());
        }
        assertEquals(List.of("vercel.deploy", "slack.post"), r.actionsRemoved().examples().stream().map(ActionDelta::tool).toList());
        assertEquals(0, r.actionsAdded().count());
        assertEquals(List.of(new InvariantCounts("ship_by_owning_team", 2, 2, 0, 0, 2)), r.invariants());
    }

    @Test
    void narrowerWindowFlipsADenialToAllowAndAddsTheShip() {
        CompiledProgram after = edited("intents.charter", "i.project == intent.project within 1h before intent",
                "i.project == intent.project within 10m before intent");
        ImpactReport r = impact(after);
        assertEquals(Map.of("deny → allow", 1), r.flips(), r::toString);
        DecisionDelta flip = r.decisionsFlipped().examples().getFirst();
        assertEquals("int-004", flip.intentId());
        assertEquals(List.of(new Denier("no_deploy_during_fatal", "hard")), flip.deniedBefore());
        assertEquals(List.of(), flip.deniedAfter());
        assertEquals(2, r.actionsAdded().count());
        ActionDelta deploy = r.actionsAdded().examples().getFirst();
        assertEquals("vercel.deploy", deploy.tool());
        assertEquals("api", deploy.argsAfter().get("project"));
        assertEquals(Instant.parse("2026-03-10T14:30:00Z"), deploy.time());
    }

    @Test
    void widerStateWindowMakesTheViolationAndTheEscalationVanish() {
        CompiledProgram after = edited("incidents.charter", """
                  has sentry.issue.assigned a where a.issue_id == i.issue_id within 15m after i""", """
                  has sentry.issue.assigned a where a.issue_id == i.issue_id within 30m after i""");
        ImpactReport r = impact(after);
        assertEquals(1, r.violationsVanished().count(), r::toString);
        var v = r.violationsVanished().examples().getFirst();
        assertEquals("fatal_issue_assigned_within_15m", v.invariant());
        assertEquals(Instant.parse("2026-03-10T14:20:00Z"), v.timeBefore());
        assertEquals("sentry-000151", v.events().getFirst().id());
        assertEquals("sentry.issue.created", v.events().getFirst().type());
        assertEquals(0, r.violationsAppeared().count());
        assertEquals(0, r.actionsRemoved().count());
        assertEquals(List.of(new InvariantCounts("fatal_issue_assigned_within_15m", 0, 0, 1, 0, 0)), r.invariants());
    }

    @Test
    void tighterRuleRemovesActionsAndChangedArgumentsAreChanged() {
        CompiledProgram after = edited("deploys.charter",
                "severity: \"error\",", "severity: \"critical\",");
        ImpactReport r = impact(after);
        assertEquals(0, r.actionsAdded().count());
        assertEquals(0, r.actionsRemoved().count());
        assertTrue(r.actionsChanged().count() > 0, r::toString);
        ActionDelta c = r.actionsChanged().examples().getFirst();
        assertEquals("page_on_failed_prod_deploy", c.source());
        assertEquals("error", c.argsBefore().get("severity"));
        assertEquals("critical", c.argsAfter().get("severity"));
        assertEquals(c.events().getFirst().type(), "vercel.deployment.error");
        assertEquals(1, r.rules().size());
        assertEquals(r.actionsChanged().count(), r.rules().getFirst().changed());
    }

    @Test
    void aRuleErrorOnOneSideStaysInItsRowAndTheRunGoesOn() {
        // deploy_env now throws, and the production-deploy pager calls it.
        CompiledProgram after = edited("functions.charter", "const host = url.replace(", "throw new Error(\"boom\")\n  const host = url.replace(",
                "deploys.charter", "when vercel.deployment.error d where d.target == \"production\"\n",
                "when vercel.deployment.error d where d.target == \"production\" and deploy_env(d.url) != \"qa\"\n");
        ImpactReport r = impact(after);
        assertTrue(r.errorsAppeared().count() > 0, r::toString);
        assertTrue(r.errorsAppeared().examples().getFirst().message().contains("boom"), r::toString);
        assertEquals("page_on_failed_prod_deploy", r.errorsAppeared().examples().getFirst().source());
        // What the pager planned before is removed, each row with the error that prevented it.
        assertEquals(2 * r.errorsAppeared().count(), r.actionsRemoved().count());
        for (ActionDelta a : r.actionsRemoved().examples()) {
            assertEquals("page_on_failed_prod_deploy", a.source());
            assertTrue(a.error() != null && a.error().contains("boom"), a::toString);
        }
        // Other rules still ran: the decisions and other actions are unchanged.
        assertEquals(0, r.decisionsFlipped().count());
        assertEquals(0, r.actionsAdded().count());
        var counts = r.rules().stream().filter(c -> c.rule().equals("page_on_failed_prod_deploy")).findFirst().orElseThrow();
        assertEquals(r.errorsAppeared().count(), counts.errorsAfter());
    }

    @Test
    void renamedRuleIsMatchedThroughTheRenames() {
        CompiledProgram after = edited("deploys.charter", "rule page_on_failed_prod_deploy ", "rule page_owner_on_failed_prod_deploy ");
        ImpactReport plain = impact(after);
        assertTrue(plain.actionsRemoved().count() > 0);
        assertEquals(plain.actionsRemoved().count(), plain.actionsAdded().count());
        ImpactReport mapped = ImpactAnalysis.run(acme, after, events, intents, ImpactAnalysis.Options.defaults()
                .withRenames(Map.of("page_on_failed_prod_deploy", "page_owner_on_failed_prod_deploy")));
        assertTrue(mapped.isEmpty(), mapped::toString);
    }

    @Test
    void examplesAreCappedAndCountsAreNotAndSequentialEqualsParallel() {
        CompiledProgram after = edited("deploys.charter", "severity: \"error\",", "severity: \"critical\",");
        ImpactReport one = ImpactAnalysis.run(acme, after, events, intents, ImpactAnalysis.Options.defaults().withExamples(1));
        ImpactReport all = ImpactAnalysis.run(acme, after, events, intents, ImpactAnalysis.Options.defaults().withExamples(100)
                .withParallel(false));
        assertEquals(1, one.actionsChanged().examples().size());
        assertEquals(one.actionsChanged().count(), all.actionsChanged().count());
        assertEquals(all.actionsChanged().count(), all.actionsChanged().examples().size());
        assertEquals(one.actionsChanged().examples().getFirst(), all.actionsChanged().examples().getFirst());
    }
}
