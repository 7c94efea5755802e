package charter.server;

import static charter.server.ServerApiTest.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import charter.engine.ingest.VercelSignatureVerifier;
import charter.server.ApiClient.Reply;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.PersonIdent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A tenant whose Program follows a branch of a real JGit repository: the history of accepted and
 * rejected commits, the last rejection's diagnostics, diff between revisions with its impact on
 * the tenant's stored log, a dry run at a revision, the swap and rejection metrics (here with
 * {@code metrics: token}), and a second, folder tenant that sees none of it.
 */
class ServerGitTenantTest {
    static final String MANIFEST = "name: tiny\ntimezone: UTC\nsources: [vercel, sentry]\n";
    static final String PEOPLE = """
            program "tiny"

            person alice { github "alice-gh" }
            team platform { members alice  owns project "api" }
            """;
    static final String RULE = """

            rule page_on_failed_prod_deploy "Page the owner when a production deploy fails" {
              when vercel.deployment.error d where d.target == "production"
              then slack.post(channel: "#incidents", text: "%s")
            }
            """;
    static final String SCENARIO = """
            name: A failed production deploy pages the owner
            events:
              - {id: e1, type: vercel.deployment.error, time: "2026-03-06T16:36:00Z", data: {project: api, target: production}}
            expect:
              actions:
                - {rule: page_on_failed_prod_deploy, tool: slack.post, args: {channel: "#incidents"}}
            """;
    static final byte[] VC = "git-vercel-secret".getBytes(StandardCharsets.UTF_8);

    @TempDir
    static Path tmp;
    static Git git;
    static int tick;
    static CharterServer server;
    static ApiClient api;
    static String token;
    static String otherToken;
    static String first;
    static String broken;
    static String second;

    @BeforeAll
    static void start() throws Exception {
        Path repo = tmp.resolve("rules");
        git = Git.init().setDirectory(repo.toFile()).setInitialBranch("main").call();
        write(repo, "README.md", "# rules\n");
        write(repo, "company/charter.yaml", MANIFEST);
        write(repo, "company/main.charter", PEOPLE + RULE.formatted("Deploy of ${d.project} failed"));
        write(repo, "company/scenarios/01_page.yaml", SCENARIO);
        first = commit("The page rule");

        Path tokens = tmp.resolve("tokens.jsonl");
        Map<String, ServerConfig.TenantConfig> tenants = new LinkedHashMap<>();
        tenants.put("gitco", new ServerConfig.TenantConfig("gitco", null, repo.toString(), "main", "company", Map.of("vercel", VC)));
        tenants.put("other", new ServerConfig.TenantConfig("other", ServerHttpTest.ACME, null, null, null, Map.of("vercel", VC)));
        server = CharterServer.start(new ServerConfig(0, tmp.resolve("data").toString(), tokens, 64 * 1024, tenants, MetricsAccess.TOKEN));
        api = new ApiClient("http://127.0.0.1:" + server.port());
        token = TokenStore.create(tokens, "gitco", EnumSet.of(TokenStore.Scope.READ));
        otherToken = TokenStore.create(tokens, "other", EnumSet.of(TokenStore.Scope.READ));

        for (int i = 0; i < 3; i++) deployError("evt_git_" + i, Instant.parse("2026-03-06T16:0" + i + ":00Z"));

        // a commit that does not compile, then one that changes the rule's text: the watcher takes both in order
        write(repo, "company/main.charter", PEOPLE + RULE.formatted("Deploy of ${d.project} failed").replace("vercel.deployment.error", "vercel.deployment.eror"));
        broken = commit("Typo in the event type");
        write(repo, "company/main.charter", PEOPLE + RULE.formatted("Production deploy of ${d.project} broke"));
        second = commit("Say it louder");
        // The watcher polls every 5 s: wait (not a timing assertion) until it has taken the last commit.
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (!historyHas(second)) {
            if (System.nanoTime() > deadline) throw new AssertionError("the watcher did not take " + second + ": " + api.get("/v1/program/history", token).text());
            Thread.sleep(200);
        }
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
        if (git != null) git.close();
    }

    static void write(Path repo, String path, String text) throws Exception {
        Path f = repo.resolve(path);
        Files.createDirectories(f.getParent());
        Files.writeString(f, text);
    }

    static String commit(String message) throws Exception {
        git.add().addFilepattern(".").call();
        PersonIdent who = new PersonIdent("Alice Chen", "alice@acme.dev", Instant.parse("2026-03-01T09:00:00Z").plusSeconds(60L * tick++), ZoneOffset.UTC);
        return git.commit().setMessage(message).setAuthor(who).setCommitter(who).setSign(false).call().getName();
    }

    static void deployError(String id, Instant at) throws Exception {
        byte[] body = ("{\"id\":\"" + id + "\",\"type\":\"deployment.error\",\"createdAt\":" + at.toEpochMilli()
                + ",\"payload\":{\"name\":\"api\",\"target\":\"production\",\"url\":\"api-x.vercel.app\",\"deployment\":{\"id\":\"dpl_" + id + "\"}}}")
                .getBytes(StandardCharsets.UTF_8);
        Reply r = api.post("/webhooks/gitco/vercel", Map.of("x-vercel-signature", VercelSignatureVerifier.sign(VC, body)), body);
        assertEquals(202, r.status(), r.text());
    }

    static boolean historyHas(String sha) throws Exception {
        for (JsonNode e : api.get("/v1/program/history", token).json().get("entries")) {
            if (!e.get("commit").isNull() && e.get("commit").get("sha").asText().equals(sha)) return true;
        }
        return false;
    }

    @Test
    void historyListsAcceptedAndRejectedCommitsWithTheirReasons() throws Exception {
        JsonNode h = api.get("/v1/program/history", token).json();
        assertEquals("git", h.get("source").get("kind").asText());
        assertEquals("main", h.get("source").get("branch").asText());
        assertEquals(second, h.get("live").asText());
        List<String> seen = new ArrayList<>();
        for (JsonNode e : h.get("entries")) seen.add(e.get("kind").asText() + " " + e.get("commit").get("sha").asText());
        assertEquals(List.of("accepted " + first, "rejected " + broken, "accepted " + second), seen);
        JsonNode rejected = h.get("entries").get(1);
        assertEquals("Typo in the event type", rejected.get("commit").get("message").asText());
        assertEquals(first, rejected.get("live").asText(), "the last good Program stayed live");
        assertTrue(rejected.get("reasons").get(0).asText().contains("main.charter"), rejected.toString());

        JsonNode onlyRejected = api.get("/v1/program/history?kind=rejected", token).json().get("entries");
        assertEquals(1, onlyRejected.size());
        assertEquals(2, onlyRejected.get(0).get("index").asInt());
        JsonNode page = api.get("/v1/program/history?limit=1", token).json();
        assertEquals(1, page.get("entries").size());
        JsonNode rest = api.get(page.get("next").asText(), token).json();
        assertEquals(2, rest.get("entries").get(0).get("index").asInt());
    }

    @Test
    void theLastRejectionCarriesTheCompilersDiagnostics() throws Exception {
        JsonNode r = api.get("/v1/program/rejection", token).json().get("rejection");
        assertEquals(broken, r.get("commit").get("sha").asText());
        JsonNode d = r.get("diagnostics").get(0);
        assertEquals("error", d.get("severity").asText());
        assertEquals("main.charter", d.get("file").asText());
        assertTrue(d.get("line").asInt() > 0);
        assertFalse(d.get("code").asText().isEmpty());
        assertEquals("vercel.deployment.error", d.get("suggestion").asText(), d.toString());
    }

    @Test
    void diffBetweenTwoRevisionsReportsTheChangeAndItsImpactOnTheStoredLog() throws Exception {
        Reply r = api.post("/v1/diff", token, "{\"from\":\"" + first + "\",\"to\":\"main\"}");
        assertEquals(200, r.status(), r.text());
        JsonNode d = r.json();
        assertEquals("gitco", d.get("tenant").asText());
        assertEquals(first, d.get("before").get("version").asText());
        assertEquals(second, d.get("after").get("version").asText());
        assertEquals("main", d.get("after").get("source").asText());
        JsonNode change = d.get("changes").get(0);
        assertEquals("page_on_failed_prod_deploy", change.get("id").asText());
        assertEquals(3, d.get("impact").get("events").asInt());
        assertEquals(3, d.get("replay").get("events").asInt());
        JsonNode changed = d.get("impact").get("actionsChanged");
        assertEquals(3, changed.get("count").asInt(), d.get("impact").toString());
        assertEquals("Production deploy of api broke", changed.get("examples").get(0).get("argsAfter").get("text").asText());
        assertEquals(0, d.get("impact").get("actionsAdded").get("count").asInt());

        // the default: the live commit against the branch head, the same commit here
        JsonNode same = api.post("/v1/diff", token, "").json();
        assertEquals(second, same.get("before").get("version").asText());
        assertEquals(0, same.get("changes").size());
        assertEquals(0, same.get("impact").get("actionsChanged").get("count").asInt());

        JsonNode limited = api.post("/v1/diff", token, "{\"from\":\"" + first + "\",\"limit\":1,\"examples\":0}").json();
        assertEquals(1, limited.get("impact").get("events").asInt());
        assertTrue(limited.get("replay").get("truncated").asBoolean());
        assertEquals(0, limited.get("impact").get("actionsChanged").get("examples").size());
    }

    @Test
    void badRevisionsAreClearErrors() throws Exception {
        Reply typo = api.post("/v1/diff", token, "{\"to\":\"mian\"}");
        assertError(typo, 400, "unknown_revision");
        assertTrue(typo.json().get("error").get("message").asText().contains("did you mean `main`"), typo.text());
        Reply notCompiling = api.post("/v1/diff", token, "{\"from\":\"" + broken + "\"}");
        assertError(notCompiling, 422, "does_not_compile");
        assertEquals("vercel.deployment.error", notCompiling.json().get("error").get("diagnostics").get(0).get("suggestion").asText());
        Reply unknownCommit = api.post("/v1/diff", token, "{\"from\":\"0123456789abcdef0123456789abcdef01234567\"}");
        assertError(unknownCommit, 400, "unknown_revision");   // a full SHA that names nothing: not a 500
        assertFalse(unknownCommit.text().contains(tmp.toString()), "no server path in " + unknownCommit.text());
        assertError(api.post("/v1/simulate", token, "{\"program\":\"0123456789abcdef0123456789abcdef01234567\"}"), 400, "unknown_revision");
        assertError(api.post("/v1/diff", token, "{\"from\":42}"), 400, "wrong_type");
        assertError(api.post("/v1/diff", token, "{\"examples\":-1}"), 400, "bad_parameter");
        assertError(api.post("/v1/diff", token, "{\"form\":\"main\"}"), 400, "unknown_field");
        assertError(api.post("/v1/simulate", token, "{\"program\":\"nope\"}"), 400, "unknown_revision");
    }

    @Test
    void simulateRunsTheLogThroughTheProgramAtARevision() throws Exception {
        JsonNode live = api.post("/v1/simulate", token, "{}").json();
        assertEquals(second, live.get("version").asText());
        assertEquals("Production deploy of api broke", live.get("timeline").get(0).get("args").get("text").asText());
        JsonNode old = api.post("/v1/simulate", token, "{\"program\":\"" + first.substring(0, 10) + "\"}").json();
        assertEquals(first, old.get("version").asText());
        assertEquals(first.substring(0, 10), old.get("replay").get("program").asText());
        assertEquals(first, old.get("timeline").get(0).get("provenance").get("programVersion").asText());
        assertEquals("Deploy of api failed", old.get("timeline").get(0).get("args").get("text").asText());
    }

    @Test
    void metricsWithATokenShowOnlyThatTenantAndCountSwapsAndRejections() throws Exception {
        assertError(api.get("/metrics", null), 401, "token_missing");
        Reply mine = api.get("/metrics", token);
        assertEquals(200, mine.status());
        Map<String, Double> samples = ServerApiTest.parse(mine.text());
        assertEquals(1.0, samples.get("charter_program_swaps_total{tenant=\"gitco\"}"));
        assertEquals(1.0, samples.get("charter_program_rejections_total{tenant=\"gitco\"}"));
        assertEquals(3.0, samples.get("charter_webhooks_total{outcome=\"accepted\",source=\"vercel\",tenant=\"gitco\"}"));
        assertFalse(mine.text().contains("tenant=\"other\""));
        Reply theirs = api.get("/metrics", otherToken);
        assertFalse(theirs.text().contains("gitco"), theirs.text());
        assertTrue(theirs.text().contains("charter_ingest_queue_depth{tenant=\"other\"}"));
    }

    @Test
    void theFolderTenantSeesNothingOfTheGitTenant() throws Exception {
        JsonNode h = api.get("/v1/program/history", otherToken).json();
        assertEquals("other", h.get("tenant").asText());
        assertEquals(1, h.get("entries").size());
        assertFalse(h.toString().contains(first) || h.toString().contains(second) || h.toString().contains(broken));
        assertTrue(api.get("/v1/program/rejection", otherToken).json().get("rejection").isNull());
        assertError(api.post("/v1/diff", otherToken, "{\"from\":\"" + first + "\"}"), 409, "no_history");
        assertError(api.post("/v1/simulate", otherToken, "{\"program\":\"" + first + "\"}"), 409, "no_history");
        JsonNode sim = api.post("/v1/simulate", otherToken, "{}").json();
        assertEquals(0, sim.get("replay").get("events").asInt());
        assertEquals(0, api.get("/v1/entities", otherToken).json().get("entities").size());
        assertError(api.get("/v1/entities/deployment/dpl_evt_git_0/graph", otherToken), 404, "unknown_entity");
        assertEquals(200, api.get("/v1/entities/deployment/dpl_evt_git_0/graph", token).status());
    }
}
