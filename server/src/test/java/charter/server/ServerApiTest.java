package charter.server;

import static charter.server.ServerHttpTest.files;
import static charter.server.ServerHttpTest.freshLinear;
import static charter.server.ServerHttpTest.github;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import charter.compiler.CompiledProgram;
import charter.compiler.ProgramCompiler;
import charter.compiler.catalog.Catalog;
import charter.compiler.load.ProgramFiles;
import charter.engine.event.CanonicalEvent;
import charter.engine.ingest.LinearSignatureVerifier;
import charter.engine.ingest.Normalised;
import charter.engine.ingest.SentrySignatureVerifier;
import charter.engine.ingest.VercelSignatureVerifier;
import charter.engine.json.SimulationJson;
import charter.engine.runtime.Simulator;
import charter.engine.store.EventStore;
import charter.engine.store.EventStores;
import charter.engine.store.TruthPolicy;
import charter.server.ApiClient.Reply;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The REST API beyond webhooks and intents, over real HTTP on loopback with a real SQLite store and
 * the acme Program for two tenants: the entity graph (list, search, neighbourhood, claims under the
 * Program's truth), the Program's history, simulate, diff's refusal for a folder Program, the
 * OpenAPI document against the registered routes, and /metrics. Every endpoint is also called
 * with the other tenant's token.
 */
class ServerApiTest {
    static final Path CORPUS = ServerHttpTest.CORPUS;
    static final String DEPLOYMENT = "dpl_12yAAMp54JKe1XxonMYqW4oWtK5K";
    static final byte[] GH = ServerHttpTest.GH;
    static final byte[] VC = ServerHttpTest.VC;
    static final byte[] LN = ServerHttpTest.LN;
    static final byte[] SN = ServerHttpTest.SN;
    static final byte[] BETA_GH = ServerHttpTest.BETA_GH;

    @TempDir
    static Path tmp;
    static CharterServer server;
    static ApiClient api;
    static String acme;
    static String acmeIntents;
    static String beta;
    static Path data;

    @BeforeAll
    static void start() throws Exception {
        data = tmp.resolve("data");
        Path tokens = tmp.resolve("tokens.jsonl");
        Map<String, ServerConfig.TenantConfig> tenants = new LinkedHashMap<>();
        tenants.put("acme", new ServerConfig.TenantConfig("acme", ServerHttpTest.ACME, null, null, null,
                Map.of("github", GH, "vercel", VC, "linear", LN, "sentry", SN)));
        tenants.put("beta", new ServerConfig.TenantConfig("beta", ServerHttpTest.ACME, null, null, null, Map.of("github", BETA_GH)));
        server = CharterServer.start(new ServerConfig(0, data.toString(), tokens, 256 * 1024, tenants, MetricsAccess.PUBLIC));
        api = new ApiClient("http://127.0.0.1:" + server.port());
        acme = TokenStore.create(tokens, "acme", EnumSet.of(TokenStore.Scope.READ));
        acmeIntents = TokenStore.create(tokens, "acme", EnumSet.of(TokenStore.Scope.INTENTS));
        beta = TokenStore.create(tokens, "beta", EnumSet.of(TokenStore.Scope.ADMIN));
        ingestCorpus();
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    /** acme: signed deliveries of every source; beta: one push. */
    static void ingestCorpus() throws Exception {
        try (Stream<Path> dirs = Files.list(CORPUS.resolve("github"))) {
            for (Path dir : dirs.filter(Files::isDirectory).sorted().toList()) {
                byte[] body = Files.readAllBytes(files(dir).getFirst());
                assertEquals(202, api.post("/webhooks/acme/github", github(dir.getFileName().toString(), body, GH), body).status(), dir.toString());
            }
        }
        for (Path f : files(CORPUS.resolve("vercel"))) {
            if (f.toString().contains("payload-only")) continue;
            byte[] body = Files.readAllBytes(f);
            api.post("/webhooks/acme/vercel", Map.of("x-vercel-signature", VercelSignatureVerifier.sign(VC, body)), body);
        }
        for (Path f : files(CORPUS.resolve("linear"))) {
            byte[] body = freshLinear(Files.readAllBytes(f));
            api.post("/webhooks/acme/linear", Map.of("linear-signature", LinearSignatureVerifier.sign(LN, body),
                    "Linear-Delivery", UUID.randomUUID().toString()), body);
        }
        for (Path f : files(CORPUS.resolve("sentry"))) {
            byte[] body = Files.readAllBytes(f);
            api.post("/webhooks/acme/sentry", Map.of("Sentry-Hook-Signature", SentrySignatureVerifier.sign(SN, body),
                    "Sentry-Hook-Resource", f.getFileName().toString().split("\\.")[0], "Request-ID", UUID.randomUUID().toString()), body);
        }
        byte[] push = Files.readAllBytes(files(CORPUS.resolve("github/push")).get(1));
        assertEquals(202, api.post("/webhooks/beta/github", github("push", push, BETA_GH), push).status());
    }

    static List<EventStore.StoredEvent> log(String tenant) {
        try (EventStore s = EventStores.open(data.toString())) {
            return s.events(tenant, EventStore.EventQuery.all());
        }
    }

    static EventStore.EntityView view(String tenant, String type, String key) {
        try (EventStore s = EventStores.open(data.toString())) {
            return s.entity(tenant, type, key).orElseThrow();
        }
    }

    static List<String> ids(JsonNode entities) {
        List<String> out = new ArrayList<>();
        for (JsonNode e : entities) out.add(e.get("type").asText() + ":" + e.get("key").asText());
        return out;
    }

    static void assertError(Reply r, int status, String code) {
        assertEquals(status, r.status(), r.text());
        assertEquals(code, r.code(), r.text());
        assertFalse(r.json().get("error").get("message").asText().isBlank(), r.text());
        assertTrue(r.json().get("error").path("id").asText().matches("err-[0-9a-f]{12}"), "an error id in " + r.text());
    }

    // ---------------------------------------------------------------- entities

    @Test
    void entitiesAreListedInOrderAndEveryPageFollowsTheNextLink() throws Exception {
        JsonNode all = api.get("/v1/entities?limit=500", acme).json();
        List<String> everything = ids(all.get("entities"));
        assertTrue(everything.size() > 20, everything.toString());
        assertTrue(everything.contains("deployment:" + DEPLOYMENT));
        List<String> sorted = new ArrayList<>(everything);
        sorted.sort(java.util.Comparator.comparing((String s) -> s.substring(0, s.indexOf(':'))).thenComparing(s -> s.substring(s.indexOf(':') + 1)));
        assertEquals(sorted, everything, "in (type, key) order");

        List<String> paged = new ArrayList<>();
        String next = "/v1/entities?limit=7";
        int pages = 0;
        while (next != null) {
            JsonNode page = api.get(next, acme).json();
            paged.addAll(ids(page.get("entities")));
            next = page.get("next").isNull() ? null : page.get("next").asText();
            assertTrue(++pages < 100);
        }
        assertEquals(everything, paged, "pages have no gaps and no repeats");

        JsonNode entry = all.get("entities").get(everything.indexOf("deployment:" + DEPLOYMENT));
        assertEquals("/v1/entities/deployment/" + DEPLOYMENT, entry.get("href").asText());
        assertEquals(200, api.get(entry.get("href").asText(), acme).status());
        assertTrue(entry.get("occurrences").asLong() >= 4);
    }

    @Test
    void entitiesFilterByTypeAndKey() throws Exception {
        JsonNode deployments = api.get("/v1/entities?type=deployment&limit=500", acme).json().get("entities");
        assertTrue(deployments.size() > 0);
        for (JsonNode e : deployments) assertEquals("deployment", e.get("type").asText());
        assertEquals(List.of("deployment:" + DEPLOYMENT),
                ids(api.get("/v1/entities?key=" + DEPLOYMENT + "&match=exact", acme).json().get("entities")));
        assertTrue(ids(api.get("/v1/entities?key=DPL_12YAAMP", acme).json().get("entities")).contains("deployment:" + DEPLOYMENT),
                "a contained key, ignoring case (the default match)");
        assertEquals(List.of(), ids(api.get("/v1/entities?key=DPL_12YAAMP&match=prefix", acme).json().get("entities")),
                "a prefix is matched exactly");
        assertEquals(List.of("deployment:" + DEPLOYMENT), ids(api.get("/v1/entities?key=dpl_12yAAMp&match=prefix&type=deployment", acme).json().get("entities")));
    }

    @Test
    void badEntityParametersAreClearJsonErrors() throws Exception {
        assertError(api.get("/v1/entities?match=fuzzy&key=x", acme), 400, "bad_parameter");
        assertError(api.get("/v1/entities?match=exact", acme), 400, "bad_parameter");
        assertError(api.get("/v1/entities?after=nocolon", acme), 400, "bad_parameter");
        assertError(api.get("/v1/entities?limit=0", acme), 400, "bad_parameter");
        assertError(api.get("/v1/entities?limit=lots", acme), 400, "bad_parameter");
        assertError(api.get("/v1/entities/deployment/" + DEPLOYMENT + "/graph?depth=3", acme), 400, "bad_parameter");
        assertError(api.get("/v1/entities/deployment/" + DEPLOYMENT + "/graph?depth=0", acme), 400, "bad_parameter");
        assertError(api.get("/v1/entities/deployment/nope/graph", acme), 404, "unknown_entity");
        assertError(api.get("/v1/entities/deployment/nope/claims", acme), 404, "unknown_entity");
        Reply typo = api.get("/v1/entities/deployment/" + DEPLOYMENT + "/claims?attribute=statsu", acme);
        assertError(typo, 404, "unknown_attribute");
        assertTrue(typo.code() != null && typo.json().get("error").get("message").asText().contains("did you mean `status`"), typo.text());
    }

    // ---------------------------------------------------------------- graph

    @Test
    void theNeighbourhoodOfAnEntityHasItsNodesAndCitedEdges() throws Exception {
        EventStore.EntityView v = view("acme", "deployment", DEPLOYMENT);
        JsonNode g = api.get("/v1/entities/deployment/" + DEPLOYMENT + "/graph", acme).json();
        assertEquals("deployment:" + DEPLOYMENT, g.get("root").asText());
        assertEquals("deployment:" + DEPLOYMENT, g.get("nodes").get(0).get("id").asText());
        assertEquals(0, g.get("nodes").get(0).get("depth").asInt());
        assertFalse(g.get("truncated").asBoolean());
        Set<String> nodes = new HashSet<>();
        for (JsonNode n : g.get("nodes")) nodes.add(n.get("id").asText());
        assertEquals(v.relations().size(), g.get("edges").size(), "depth 1: every relation of the entity");
        Set<String> expected = new HashSet<>();
        for (int i = 0; i < v.relations().size(); i++) {
            Normalised.Relation r = v.relations().get(i);
            expected.add(r.kind() + "|" + r.fromType() + ":" + r.fromKey() + "|" + r.toType() + ":" + r.toKey() + "|" + v.relationEventIds().get(i));
        }
        Set<String> actual = new HashSet<>();
        for (JsonNode e : g.get("edges")) {
            actual.add(e.get("kind").asText() + "|" + e.get("from").asText() + "|" + e.get("to").asText() + "|" + e.get("eventId").asText());
            assertTrue(nodes.contains(e.get("from").asText()) && nodes.contains(e.get("to").asText()), "both ends are nodes: " + e);
        }
        assertEquals(expected, actual);

        JsonNode two = api.get("/v1/entities/deployment/" + DEPLOYMENT + "/graph?depth=2", acme).json();
        assertTrue(two.get("nodes").size() > g.get("nodes").size(), "depth 2 reaches further: " + two);
        JsonNode capped = api.get("/v1/entities/deployment/" + DEPLOYMENT + "/graph?depth=2&limit=2", acme).json();
        assertEquals(2, capped.get("nodes").size());
        assertTrue(capped.get("truncated").asBoolean());
        assertTrue(capped.get("truncatedBecause").get(0).asText().contains("2"), capped.toString());
    }

    @Test
    void aKeyWithSlashesIsReachable() throws Exception {
        JsonNode repos = api.get("/v1/entities?type=repository&limit=500", acme).json().get("entities");
        String repo = null;
        for (JsonNode r : repos) if (r.get("key").asText().contains("/")) repo = r.get("key").asText();
        assertNotNull(repo, repos.toString());
        Reply g = api.get("/v1/entities/repository/" + repo + "/graph", acme);
        assertEquals(200, g.status(), g.text());
        assertEquals("repository:" + repo, g.json().get("root").asText());
        assertEquals(200, api.get("/v1/entities/repository/" + repo + "/claims", acme).status());
    }

    // ---------------------------------------------------------------- claims

    @Test
    void claimsShowWhichValueTheProgramsTruthMakesCurrent() throws Exception {
        EventStore.EntityView v = view("acme", "deployment", DEPLOYMENT);
        CompiledProgram program = new ProgramCompiler(Catalog.standard()).compile(ProgramFiles.fromDirectory(ServerHttpTest.ACME)).program();
        Map<String, Normalised.Claim> resolved = TruthPolicy.of(program).resolve(v.claims());

        JsonNode c = api.get("/v1/entities/deployment/" + DEPLOYMENT + "/claims", acme).json();
        assertEquals(program.version(), c.get("programVersion").asText());
        assertEquals(resolved.keySet().size(), c.get("attributes").size());
        for (JsonNode a : c.get("attributes")) {
            Normalised.Claim winner = resolved.get(a.get("attribute").asText());
            assertEquals(winner.eventId(), a.get("current").get("eventId").asText(), a.toString());
            assertEquals(winner.source(), a.get("current").get("source").asText());
            int current = 0;
            for (JsonNode claim : a.get("claims")) {
                if (claim.get("current").asBoolean()) {
                    current++;
                    assertEquals(winner.eventId(), claim.get("eventId").asText());
                }
                assertFalse(claim.get("time").asText().isEmpty());
            }
            assertEquals(1, current, "one claim is the current value: " + a);
        }
        JsonNode status = api.get("/v1/entities/deployment/" + DEPLOYMENT + "/claims?attribute=status", acme).json().get("attributes");
        assertEquals(1, status.size());
        assertEquals("truth deployment.status prefer vercel over github", status.get(0).get("truth").asText());
        assertEquals(List.of("vercel", "github"), List.of(status.get(0).get("preference").get(0).asText(), status.get(0).get("preference").get(1).asText()));
        assertTrue(status.get(0).get("total").asInt() >= 4, status.toString());

        JsonNode one = api.get("/v1/entities/deployment/" + DEPLOYMENT + "/claims?attribute=status&limit=1", acme).json().get("attributes").get(0);
        assertEquals(1, one.get("claims").size());
        assertTrue(one.get("truncated").asBoolean());
        assertEquals(status.get(0).get("current"), one.get("current"), "the current value is resolved over every claim, not the page");
    }

    // ---------------------------------------------------------------- program

    @Test
    void aFolderProgramHasOneHistoryEntryNoRejectionAndNoDiff() throws Exception {
        JsonNode h = api.get("/v1/program/history", acme).json();
        assertEquals("folder", h.get("source").get("kind").asText());
        assertEquals(1, h.get("entries").size());
        JsonNode e = h.get("entries").get(0);
        assertEquals("accepted", e.get("kind").asText());
        assertEquals(1, e.get("index").asInt());
        assertTrue(e.get("commit").isNull());
        assertEquals(h.get("live").asText(), e.get("live").asText());
        assertTrue(h.get("next").isNull());
        assertTrue(api.get("/v1/program/rejection", acme).json().get("rejection").isNull());
        assertError(api.get("/v1/program/history?kind=maybe", acme), 400, "bad_parameter");

        assertError(api.post("/v1/diff", acme, "{}"), 409, "no_history");
        assertError(api.post("/v1/diff", acme, ""), 409, "no_history");
        assertError(api.post("/v1/simulate", acme, "{\"program\":\"main\"}"), 409, "no_history");
    }

    // ---------------------------------------------------------------- simulate

    @Test
    void simulateReplaysTheStoredLogThroughTheLiveProgramAsTheCliWould() throws Exception {
        long decisionsBefore = api.get("/v1/decisions?limit=500", acme).json().get("decisions").size();
        List<EventStore.StoredEvent> stored = log("acme");
        Reply r = api.post("/v1/simulate", acme, "{}");
        assertEquals(200, r.status(), r.text());
        ObjectNode body = (ObjectNode) r.json();
        assertEquals("acme", body.get("tenant").asText());
        JsonNode replay = body.get("replay");
        assertEquals(stored.size(), replay.get("events").asInt());
        assertEquals(stored.size(), body.get("events").asInt());
        assertFalse(replay.get("truncated").asBoolean());
        assertEquals("live", replay.get("program").asText());
        assertEquals(stored.getFirst().sequence(), replay.get("firstSequence").asLong());

        // the same tree `charter simulate --from-store --format json` writes: the engine's SimulationJson
        CompiledProgram program = new ProgramCompiler(Catalog.standard()).compile(ProgramFiles.fromDirectory(ServerHttpTest.ACME)).program();
        List<CanonicalEvent> events = stored.stream().map(EventStore.StoredEvent::event).toList();
        // compared as parsed text: the tree holds longs where the parsed body holds ints
        JsonNode expected = ApiClient.JSON.readTree(SimulationJson.tree(new Simulator().run(program, events, List.of(), null)).toString());
        body.remove("tenant");
        body.remove("replay");
        assertEquals(expected, body);
        assertTrue(body.get("summary").get("actions").asInt() > 0, "the corpus plans actions: " + body.get("summary"));
        for (JsonNode e : body.get("timeline")) {
            if (e.get("kind").asText().equals("action")) assertEquals(program.version(), e.get("provenance").get("programVersion").asText());
        }
        assertEquals(decisionsBefore, api.get("/v1/decisions?limit=500", acme).json().get("decisions").size(), "a dry run records nothing");
        assertEquals(stored.size(), log("acme").size());
    }

    @Test
    void simulateIsBoundedAndFiltersByTime() throws Exception {
        List<EventStore.StoredEvent> stored = log("acme");
        JsonNode three = api.post("/v1/simulate", acme, "{\"limit\":3}").json();
        assertEquals(3, three.get("replay").get("events").asInt());
        assertTrue(three.get("replay").get("truncated").asBoolean());
        assertEquals(stored.get(2).sequence(), three.get("replay").get("lastSequence").asLong());

        JsonNode future = api.post("/v1/simulate", acme, "{\"since\":\"2100-01-01T00:00:00Z\"}").json();
        assertEquals(0, future.get("replay").get("events").asInt());
        assertTrue(future.get("replay").get("firstSequence").isNull());

        java.time.Instant median = stored.stream().map(s -> s.event().time()).sorted().toList().get(stored.size() / 2);
        long upTo = stored.stream().filter(s -> !s.event().time().isAfter(median)).count();
        JsonNode until = api.post("/v1/simulate", acme, "{\"until\":\"" + median + "\"}").json();
        assertEquals(upTo, until.get("replay").get("events").asLong());
        assertEquals(median.toString(), until.get("until").asText());
    }

    @Test
    void simulateDecidesGivenIntentsAgainstTheReplayedState() throws Exception {
        Reply r = api.post("/v1/simulate", acme, "{\"intents\":[{\"intent\":\"rollback\",\"actor\":\"dave-r\",\"time\":\"2026-03-06T16:00:00Z\","
                + "\"params\":{\"project\":\"api\"}}]}");
        assertEquals(200, r.status(), r.text());
        assertEquals(1, r.json().get("intents").asInt());
        assertEquals(1, r.json().get("summary").get("decisions").asInt());
        Reply bad = api.post("/v1/simulate", acme, "{\"intents\":[{\"intent\":\"rolback\",\"actor\":\"x\",\"time\":\"2026-03-06T16:00:00Z\"}]}");
        assertError(bad, 400, "invalid_intent");
        assertTrue(bad.json().get("error").get("problems").get(0).asText().startsWith("intents[0]: "), bad.text());
    }

    @Test
    void badSimulateBodiesAreClearJsonErrors() throws Exception {
        Reply typo = api.post("/v1/simulate", acme, "{\"sinse\":\"2026-01-01T00:00:00Z\"}");
        assertError(typo, 400, "unknown_field");
        assertTrue(typo.json().get("error").get("message").asText().contains("did you mean `since`"), typo.text());
        assertError(api.post("/v1/simulate", acme, "{\"limit\":0}"), 400, "bad_parameter");
        assertError(api.post("/v1/simulate", acme, "{\"limit\":1000001}"), 400, "bad_parameter");
        assertError(api.post("/v1/simulate", acme, "{\"limit\":\"ten\"}"), 400, "bad_parameter");
        assertError(api.post("/v1/simulate", acme, "{\"until\":\"yesterday\"}"), 400, "bad_parameter");
        assertError(api.post("/v1/simulate", acme, "{\"since\":\"2026-03-02T00:00:00Z\",\"until\":\"2026-03-01T00:00:00Z\"}"), 400, "bad_parameter");
        assertError(api.post("/v1/simulate", acme, "[1]"), 400, "wrong_type");
        assertError(api.post("/v1/simulate", acme, "{\"intents\":{}}"), 400, "wrong_type");
        assertError(api.post("/v1/simulate", acme, "{oops"), 400, "malformed_json");
        assertError(api.post("/v1/simulate", null, "{}"), 401, "token_missing");
    }

    // ---------------------------------------------------------------- isolation

    @Test
    void theOtherTenantsTokenSeesNoneOfTheFirstTenantsData() throws Exception {
        Set<String> acmeEntities = new HashSet<>(ids(api.get("/v1/entities?limit=500", acme).json().get("entities")));
        JsonNode betaList = api.get("/v1/entities?limit=500", beta).json();
        assertEquals("beta", betaList.get("tenant").asText());
        try (EventStore s = EventStores.open(data.toString())) {
            assertEquals(ids(betaList.get("entities")).size(), s.entities("beta", EventStore.EntityQuery.all()).size());
        }
        assertFalse(ids(betaList.get("entities")).contains("deployment:" + DEPLOYMENT));
        assertEquals(List.of(), ids(api.get("/v1/entities?key=" + DEPLOYMENT, beta).json().get("entities")));
        assertError(api.get("/v1/entities/deployment/" + DEPLOYMENT + "/graph", beta), 404, "unknown_entity");
        assertError(api.get("/v1/entities/deployment/" + DEPLOYMENT + "/claims", beta), 404, "unknown_entity");
        assertTrue(acmeEntities.size() > ids(betaList.get("entities")).size());
        // beta's graph never reaches acme-only nodes
        String betaEntity = ids(betaList.get("entities")).getFirst();
        String type = betaEntity.substring(0, betaEntity.indexOf(':'));
        String key = betaEntity.substring(betaEntity.indexOf(':') + 1);
        JsonNode betaGraph = api.get("/v1/entities/" + type + "/" + key + "/graph?depth=2", beta).json();
        Set<String> betaIds = new HashSet<>(ids(betaList.get("entities")));
        for (JsonNode n : betaGraph.get("nodes")) assertTrue(betaIds.contains(n.get("id").asText()), n.toString());

        JsonNode sim = api.post("/v1/simulate", beta, "{}").json();
        assertEquals("beta", sim.get("tenant").asText());
        assertEquals(log("beta").size(), sim.get("replay").get("events").asInt());
        assertEquals("beta", api.get("/v1/program/history", beta).json().get("tenant").asText());
        assertEquals("beta", api.get("/v1/program/rejection", beta).json().get("tenant").asText());
        assertError(api.post("/v1/diff", beta, "{}"), 409, "no_history");

        for (String path : List.of("/v1/entities", "/v1/entities/deployment/" + DEPLOYMENT + "/graph",
                "/v1/entities/deployment/" + DEPLOYMENT + "/claims", "/v1/program/history", "/v1/program/rejection")) {
            assertError(api.get(path, null), 401, "token_missing");
            assertError(api.get(path, "chr_forged"), 401, "token_invalid");
        }
        for (String path : List.of("/v1/simulate", "/v1/diff")) assertError(api.post(path, "chr_forged", "{}"), 401, "token_invalid");
    }

    // ---------------------------------------------------------------- OpenAPI

    @Test
    void theOpenApiDocumentListsEveryRouteTheServerRegisters() throws Exception {
        JsonNode doc = api.get("/v1/openapi.json", null).json();
        assertEquals("3.1.0", doc.get("openapi").asText());
        JsonNode paths = doc.get("paths");
        Set<String> registered = new HashSet<>();
        for (String route : server.routeList()) {
            String method = route.substring(0, route.indexOf(' ')).toLowerCase(java.util.Locale.ROOT);
            if (method.equals("head") || method.equals("options")) continue;
            // Javalin's {p} and <p> (takes slashes) are both OpenAPI's {p}
            String path = route.substring(route.indexOf(' ') + 1).replace('<', '{').replace('>', '}');
            registered.add(method + " " + path);
            assertTrue(paths.has(path), "the OpenAPI document lacks the path " + path);
            assertTrue(paths.get(path).has(method), "the OpenAPI document lacks " + method + " " + path);
            assertTrue(paths.get(path).get(method).has("responses"), method + " " + path + " has no responses");
        }
        assertTrue(registered.contains("get /metrics") && registered.contains("post /v1/diff"), registered.toString());
        Pattern methods = Pattern.compile("get|post|put|delete|patch");
        for (Map.Entry<String, JsonNode> p : paths.properties()) {
            for (Map.Entry<String, JsonNode> m : p.getValue().properties()) {
                if (methods.matcher(m.getKey()).matches()) {
                    assertTrue(registered.contains(m.getKey() + " " + p.getKey()), "documented but not served: " + m.getKey() + " " + p.getKey());
                }
            }
        }
    }

    @Test
    void anIntentIdDecidedBeforeIsRefusedAndNothingIsRecordedTwice() throws Exception {
        String intent = "{\"id\":\"int-twice\",\"intent\":\"ship\",\"actor\":\"carolw\",\"params\":{\"project\":\"api\",\"sha\":\"2c3413d\",\"target\":\"production\"}}";
        Reply first = api.post("/v1/intents", acmeIntents, intent);
        assertEquals(200, first.status(), first.text());
        long recorded = api.get("/v1/decisions?limit=500", acme).json().get("decisions").size();
        Reply again = api.post("/v1/intents", acmeIntents, intent);
        assertEquals(409, again.status(), again.text());
        assertEquals("intent_exists", again.json().at("/error/code").asText());
        assertEquals(recorded, api.get("/v1/decisions?limit=500", acme).json().get("decisions").size());
        // without an id, the server names each intent afresh: two sends are two decisions
        String anonymous = intent.replace("\"id\":\"int-twice\",", "");
        assertEquals(200, api.post("/v1/intents", acmeIntents, anonymous).status());
        assertEquals(200, api.post("/v1/intents", acmeIntents, anonymous).status());
        assertEquals(recorded + 2, api.get("/v1/decisions?limit=500", acme).json().get("decisions").size());
    }

    // ---------------------------------------------------------------- metrics

    @Test
    void metricsCountWebhooksDecisionsAndTheEnginesWorkInPrometheusText() throws Exception {
        byte[] body = Files.readAllBytes(files(CORPUS.resolve("github/push")).get(2));
        Map<String, String> h = github("push", body, GH);
        api.post("/webhooks/acme/github", h, body);
        api.post("/webhooks/acme/github", h, body);                                   // duplicate
        api.post("/webhooks/acme/github", github("push", body, "wrong".getBytes()), body);  // signature_invalid
        api.post("/webhooks/nobody/github", h, body);                                 // unknown tenant
        api.post("/v1/intents", acmeIntents, "{\"intent\":\"ship\",\"actor\":\"carolw\",\"params\":{\"project\":\"api\",\"sha\":\"2c3413d\",\"target\":\"production\"}}");

        // wait (no timing assertion) until beta's Program has run its whole log, so its position is known
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (!api.get("/v1/status", beta).json().path("caughtUp").asBoolean()) {
            assertTrue(System.nanoTime() < deadline, "beta's consumer never caught up");
            Thread.sleep(50);
        }
        Reply m = api.get("/metrics", null);
        assertEquals(200, m.status());
        assertTrue(m.contentType().startsWith("text/plain; version=0.0.4"), m.contentType());
        Map<String, Double> samples = parse(m.text());
        for (String key : List.of("charter_decision_seconds_bucket{tenant=\"acme\",le=\"5.0E-4\"}",
                "charter_decision_seconds_bucket{tenant=\"acme\",le=\"1.0\"}", "charter_ingest_queue_depth{tenant=\"acme\"}")) {
            assertTrue(samples.containsKey(key), key + " in\n" + m.text());
        }
        assertTrue(samples.get("charter_webhooks_total{outcome=\"accepted\",source=\"github\",tenant=\"acme\"}") >= 2);
        assertTrue(samples.get("charter_webhooks_total{outcome=\"duplicate\",source=\"github\",tenant=\"acme\"}") >= 1);
        assertTrue(samples.get("charter_webhooks_total{outcome=\"signature_invalid\",source=\"github\",tenant=\"acme\"}") >= 1);
        assertTrue(samples.get("charter_webhooks_total{outcome=\"unknown_tenant\",source=\"\",tenant=\"\"}") >= 1);
        assertFalse(m.text().contains("nobody"), "a made-up tenant is no label");
        assertEquals(1.0, samples.get("charter_webhooks_total{outcome=\"accepted\",source=\"github\",tenant=\"beta\"}"));
        assertTrue(samples.get("charter_decisions_total{tenant=\"acme\",verdict=\"allow\"}") >= 1);
        double count = samples.get("charter_decision_seconds_count{tenant=\"acme\"}");
        assertEquals(count, samples.get("charter_decision_seconds_bucket{tenant=\"acme\",le=\"+Inf\"}"));
        assertTrue(samples.get("charter_decision_seconds_bucket{tenant=\"acme\",le=\"5.0E-4\"}") <= samples.get("charter_decision_seconds_bucket{tenant=\"acme\",le=\"1.0\"}"),
                "buckets are cumulative");
        assertTrue(samples.containsKey("charter_ingest_queue_depth{tenant=\"acme\"}"));
        assertTrue(samples.containsKey("charter_webhooks_waiting{tenant=\"acme\"}"));
        assertEquals((double) log("beta").getLast().sequence(), samples.get("charter_log_processed_sequence{tenant=\"beta\"}"));
        assertEquals(0.0, samples.get("charter_program_swaps_total{tenant=\"acme\"}"));
        assertEquals(0.0, samples.get("charter_program_rejections_total{tenant=\"beta\"}"));
        assertTrue(samples.containsKey("charter_events_processed_total{tenant=\"beta\"}"));
        assertEquals(0.0, samples.get("charter_log_events_reread_total{tenant=\"beta\"}"), "the engine got beta's event from the append");
        assertFalse(m.text().contains(DEPLOYMENT), "counts only, never ids");
        // the live session's sizes, and the JVM's own metrics
        assertTrue(samples.containsKey("charter_engine_planned_action_ids{tenant=\"acme\"}"));
        assertTrue(samples.containsKey("charter_engine_entities{tenant=\"acme\"}"));
        assertEquals(0.0, samples.get("charter_engine_failures_total{tenant=\"acme\"}"));
        assertTrue(samples.keySet().stream().anyMatch(k -> k.startsWith("jvm_memory_used_bytes{")), "JVM memory");
        assertTrue(samples.keySet().stream().anyMatch(k -> k.startsWith("jvm_threads_live_threads")), "JVM threads");
        assertTrue(m.text().contains("# TYPE jvm_gc_"), "GC metrics");
    }

    /** Every sample line of a Prometheus text exposition, checked against the format. */
    static Map<String, Double> parse(String text) {
        Pattern sample = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*(?:\\{[a-z_]+=\"(?:[^\"\\\\]|\\\\.)*\"(?:,[a-z_]+=\"(?:[^\"\\\\]|\\\\.)*\")*})?) (-?[0-9.eE+-]+|\\+Inf|NaN)");
        Map<String, Double> out = new LinkedHashMap<>();
        Set<String> typed = new HashSet<>();
        for (String line : text.split("\n")) {
            if (line.startsWith("# TYPE ")) {
                typed.add(line.split(" ")[2]);
                continue;
            }
            if (line.startsWith("# HELP ")) continue;
            var matcher = sample.matcher(line);
            assertTrue(matcher.matches(), "not a sample line: " + line);
            String name = line.replaceAll("[{ ].*", "").replaceAll("_(bucket|sum|count)$", "");
            assertTrue(typed.contains(name) || typed.contains(line.replaceAll("[{ ].*", "")), "no # TYPE before " + line);
            out.put(matcher.group(1), Double.parseDouble(matcher.group(2)));
        }
        return out;
    }
}
