package charter.engine.language;

import static charter.engine.language.Programs.at;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import charter.compiler.CompiledProgram;
import charter.engine.intent.IntentRequest;
import charter.engine.reference.ReferenceSimulator;
import charter.engine.result.SimulationResult;
import charter.engine.result.TimelineEntry;
import charter.engine.runtime.Simulator;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * `override by`: who may lift a soft invariant's denial. Each soft invariant below fires when the
 * intent's `policy` parameter names it; an override lifts the denial only if every firing
 * invariant lets that actor override, and never the sender's own unless `including self`.
 */
class OverrideRuleTest {
    static final CompiledProgram PROGRAM = Programs.compile("""
            program "t"
            person alice { github "alice-gh" }
            person bob { email "bob@acme.dev" }
            person carol { github "carol-c" }
            person dave { github "dave-d" }
            team platform { members alice, bob  owns project "api" }
            team product { members carol  owns project "web" }
            intent ship(project: string, policy: string) { resolve vercel.deploy(project: intent.project, sha: "x", target: "production") }
            invariant by_default "No clause" soft {
              deny ship where contains(intent.policy, "default") because "default"
            }
            invariant by_team "A team" soft {
              deny ship where contains(intent.policy, "team") because "team"
              override by team platform
            }
            invariant by_owner "The owner of the project" soft {
              deny ship where contains(intent.policy, "owner") because "owner"
              override by owner(intent.project)
            }
            invariant by_person "A person" soft {
              deny ship where contains(intent.policy, "person") because "person"
              override by carol
            }
            invariant by_team_self "A team, the sender included" soft {
              deny ship where contains(intent.policy, "tself") because "team self"
              override by team platform including self
            }
            invariant by_anyone_self "Anyone at all" soft {
              deny ship where contains(intent.policy, "aself") because "anyone self"
              override by anyone including self
            }
            """);

    static TimelineEntry.Decision decide(CompiledProgram program, String sender, String overrider, String project, String policy) {
        return decisions(program, List.of(request("i1", sender, overrider, project, policy))).getFirst();
    }

    static IntentRequest request(String id, String sender, String overrider, String project, String policy) {
        return new IntentRequest(id, "ship", sender, "the invoice fix", at(0), Map.of("project", project, "policy", policy),
                overrider == null ? null : new TimelineEntry.Override(overrider, "agreed"));
    }

    /** The compiled decisions; the reference interpreter must decide the same. */
    static List<TimelineEntry.Decision> decisions(CompiledProgram program, List<IntentRequest> requests) {
        SimulationResult compiled = new Simulator().run(program, List.of(), requests, null);
        SimulationResult reference = new ReferenceSimulator().run(program, List.of(), requests, null);
        List<TimelineEntry.Decision> a = only(compiled);
        List<TimelineEntry.Decision> b = only(reference);
        assertEquals(a.size(), b.size());
        for (int i = 0; i < a.size(); i++) {
            assertEquals(summary(a.get(i)), summary(b.get(i)), "the reference interpreter disagrees on " + requests.get(i));
        }
        return a;
    }

    private static List<TimelineEntry.Decision> only(SimulationResult r) {
        return r.timeline().stream().filter(e -> e instanceof TimelineEntry.Decision).map(e -> (TimelineEntry.Decision) e).toList();
    }

    private static String summary(TimelineEntry.Decision d) {
        return d.intentId() + " " + d.verdict() + " override=" + d.override() + " refused=" + (d.overrideRefused() != null)
                + " reason=" + d.reason() + " actions=" + d.actions().size();
    }

    @Test
    void theSenderMayNotOverrideTheirOwnDenial() {
        TimelineEntry.Decision d = decide(PROGRAM, "alice", "alice-gh", "api", "team");
        assertEquals(TimelineEntry.Verdict.NEEDS_OVERRIDE, d.verdict());
        assertNull(d.override());
        assertTrue(d.overrideRefused().contains("alice-gh sent this intent and may not override its own denial by `by_team`"), d.overrideRefused());
        assertEquals(List.of(), d.actions());
        // Nor without a clause: the default is anyone but the sender.
        assertEquals(TimelineEntry.Verdict.NEEDS_OVERRIDE, decide(PROGRAM, "dave", "dave-d", "api", "default").verdict());
    }

    @Test
    void aTeammateMayOverride() {
        TimelineEntry.Decision d = decide(PROGRAM, "alice", "bob@acme.dev", "api", "team");
        assertEquals(TimelineEntry.Verdict.ALLOW, d.verdict());
        assertEquals("bob@acme.dev", d.override().actor());
        assertNull(d.overrideRefused());
        assertEquals(1, d.actions().size());
        assertEquals("the invoice fix", d.reason());
    }

    @Test
    void theOwnerOfWhatTheIntentTouchesMayOverride() {
        assertEquals(TimelineEntry.Verdict.ALLOW, decide(PROGRAM, "dave", "carol-c", "web", "owner").verdict());
        assertEquals(TimelineEntry.Verdict.ALLOW, decide(PROGRAM, "dave", "alice", "api", "owner").verdict());
        TimelineEntry.Decision other = decide(PROGRAM, "dave", "alice", "web", "owner");
        assertEquals(TimelineEntry.Verdict.NEEDS_OVERRIDE, other.verdict());
        assertEquals("alice may not override `by_owner`; who may: owner(intent.project) (team product), but not the sender",
                other.overrideRefused());
        // A project nobody owns: nobody may override.
        assertTrue(decide(PROGRAM, "dave", "alice", "cli", "owner").overrideRefused().contains("owner(intent.project) (nobody)"));
    }

    @Test
    void aNonMemberIsRefusedWithAReasonNamingWhoMay() {
        TimelineEntry.Decision d = decide(PROGRAM, "dave", "carol", "api", "team");
        assertEquals(TimelineEntry.Verdict.NEEDS_OVERRIDE, d.verdict());
        assertEquals("carol may not override `by_team`; who may: team platform, but not the sender", d.overrideRefused());
        assertEquals(TimelineEntry.Verdict.NEEDS_OVERRIDE, decide(PROGRAM, "dave", "zed", "api", "person").verdict());
        assertEquals(TimelineEntry.Verdict.ALLOW, decide(PROGRAM, "dave", "carol-c", "api", "person").verdict());
    }

    @Test
    void includingSelfLetsAListedSenderOverrideTheirOwn() {
        TimelineEntry.Decision own = decide(PROGRAM, "alice", "alice", "api", "tself");
        assertEquals(TimelineEntry.Verdict.ALLOW, own.verdict(), own::toString);
        assertEquals(TimelineEntry.Verdict.NEEDS_OVERRIDE, decide(PROGRAM, "carol", "carol", "api", "tself").verdict());
        assertEquals(TimelineEntry.Verdict.ALLOW, decide(PROGRAM, "zed", "zed", "api", "aself").verdict());
    }

    @Test
    void everyFiringInvariantMustLetTheActorOverride() {
        // bob is in platform (by_team) but is not carol (by_person).
        TimelineEntry.Decision d = decide(PROGRAM, "dave", "bob", "api", "team person");
        assertEquals(TimelineEntry.Verdict.NEEDS_OVERRIDE, d.verdict());
        assertTrue(d.overrideRefused().contains("`by_person`") && !d.overrideRefused().contains("`by_team`"), d.overrideRefused());
    }

    @Test
    void aDecisionWithoutAnOverrideRecordsTheIntentsReason() {
        TimelineEntry.Decision d = decide(PROGRAM, "dave", null, "api", "team");
        assertEquals(TimelineEntry.Verdict.NEEDS_OVERRIDE, d.verdict());
        assertNull(d.overrideRefused());
        assertEquals("the invoice fix", d.reason());
    }

    // ---- a property: random senders, overriders, projects and sets of firing invariants, against an oracle

    static final List<String> ACTORS = List.of("alice", "alice-gh", "ALICE", "bob", "bob@acme.dev", "carol", "carol-c", "dave", "zed", "Zed");
    static final List<String> POLICIES = List.of("default", "team", "owner", "person", "tself", "aself");
    static final Map<String, String> PERSON = Map.of("alice", "alice", "alice-gh", "alice", "bob", "bob", "bob@acme.dev", "bob",
            "carol", "carol", "carol-c", "carol", "dave", "dave");
    static final Map<String, Set<String>> TEAMS = Map.of("platform", Set.of("alice", "bob"), "product", Set.of("carol"));
    static final Map<String, String> OWNER = Map.of("api", "platform", "web", "product");

    /** Whether `overrider` may lift the denial of the invariant named by `policy`, written from the docs. */
    static boolean oracle(String policy, String sender, String overrider, String project) {
        String ps = PERSON.get(sender.toLowerCase(java.util.Locale.ROOT));
        String po = PERSON.get(overrider.toLowerCase(java.util.Locale.ROOT));
        boolean same = ps != null || po != null ? ps != null && ps.equals(po) : sender.equalsIgnoreCase(overrider);
        boolean self = policy.endsWith("self");
        if (same && !self) return false;
        return switch (policy) {
            case "default", "aself" -> true;
            case "team", "tself" -> po != null && TEAMS.get("platform").contains(po);
            case "owner" -> po != null && OWNER.containsKey(project) && TEAMS.get(OWNER.get(project)).contains(po);
            case "person" -> "carol".equals(po);
            default -> throw new IllegalArgumentException(policy);
        };
    }

    record Case(String sender, String overrider, String project, List<String> policies) {
        String policy() {
            return String.join(" ", policies);
        }

        boolean expectAllowed() {
            return policies.stream().allMatch(p -> oracle(p, sender, overrider, project));
        }
    }

    @Test
    void randomOverridesAgreeWithTheOracleAndTheReference() {
        Random random = new Random(15_003);
        List<Case> cases = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            Set<String> chosen = new TreeSet<>();
            int n = 1 + random.nextInt(2);
            while (chosen.size() < n) chosen.add(POLICIES.get(random.nextInt(POLICIES.size())));
            // no word contains another: the invariants that fire are those the words contain.
            List<String> firing = POLICIES.stream().filter(p -> chosen.stream().anyMatch(c -> c.contains(p))).toList();
            cases.add(new Case(ACTORS.get(random.nextInt(ACTORS.size())), ACTORS.get(random.nextInt(ACTORS.size())),
                    List.of("api", "web", "cli").get(random.nextInt(3)), firing));
        }
        List<IntentRequest> requests = new ArrayList<>();
        for (int i = 0; i < cases.size(); i++) {
            Case c = cases.get(i);
            requests.add(request("i" + i, c.sender(), c.overrider(), c.project(), c.policy()));
        }
        List<TimelineEntry.Decision> decided = decisions(PROGRAM, requests);
        Map<String, Integer> seen = new LinkedHashMap<>();
        for (int i = 0; i < cases.size(); i++) {
            Case c = cases.get(i);
            TimelineEntry.Decision d = decided.get(i);
            boolean allowed = c.expectAllowed();
            seen.merge(allowed ? "allowed" : "refused", 1, Integer::sum);
            assertEquals(allowed ? TimelineEntry.Verdict.ALLOW : TimelineEntry.Verdict.NEEDS_OVERRIDE, d.verdict(), c::toString);
            if (allowed) assertNull(d.overrideRefused(), c::toString);
            else assertNotNull(d.overrideRefused(), c::toString);
        }
        // The generator reaches both outcomes often enough to mean something.
        assertTrue(seen.getOrDefault("allowed", 0) > 30 && seen.getOrDefault("refused", 0) > 30, seen::toString);
    }
}
