package charter.engine.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import charter.compiler.CompiledProgram;
import charter.compiler.Compilation;
import charter.compiler.ProgramCompiler;
import charter.compiler.catalog.Catalog;
import charter.compiler.load.ProgramFiles;
import charter.engine.runtime.SignificanceScorer;
import charter.engine.store.EventStore;
import charter.engine.store.EventStore.EntityView;
import charter.engine.store.EventStore.EventQuery;
import charter.engine.store.EventStore.StoredEvent;
import charter.engine.store.EventStores;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ingestor over a real SQLite store in a temporary data directory, fed with corpus payloads. */
class IngestorTest {
    static final String TENANT = "acme";
    static final Instant NOW = Instant.parse("2026-03-02T10:15:00Z");
    static final byte[] SECRET = "linear-secret".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path data;
    EventStore store;

    @BeforeEach
    void open() {
        store = EventStores.open(data.toString());
    }

    @AfterEach
    void close() {
        store.close();
    }

    Ingestor.Builder ingestor() {
        return Ingestor.builder(store).clock(Clock.fixed(NOW, ZoneOffset.UTC));
    }

    List<StoredEvent> log() {
        return store.events(TENANT, EventQuery.all());
    }

    static LabeledDelivery labeled(String label, RawDelivery d) {
        return new LabeledDelivery(label, d);
    }

    /** linear/IssueCreated.json stamped with an epoch-ms webhookTimestamp, as current Linear sends. */
    static byte[] linearIssue(Instant stamped) {
        return new String(Corpus.read("linear/IssueCreated.json"), StandardCharsets.UTF_8)
                .replaceFirst("\"webhookTimestamp\": \"[^\"]*\"", "\"webhookTimestamp\": " + stamped.toEpochMilli())
                .getBytes(StandardCharsets.UTF_8);
    }

    static RawDelivery linear(String deliveryId, byte[] body, String signature) {
        Map<String, String> h = new HashMap<>();
        h.put("Linear-Delivery", deliveryId);
        if (signature != null) h.put("Linear-Signature", signature);
        return new RawDelivery("linear", h, body, NOW);
    }

    @Test
    void linearSignaturesWithASecret() {
        byte[] fresh = linearIssue(NOW.minusSeconds(5));
        byte[] stale = linearIssue(NOW.minusSeconds(300));
        Ingestor in = ingestor().secret("linear", SECRET).build();
        IngestReport r = in.ingest(TENANT, List.of(
                labeled("missing", linear("d-missing", fresh, null)),
                labeled("wrong", linear("d-wrong", fresh, LinearSignatureVerifier.sign("other".getBytes(StandardCharsets.UTF_8), fresh))),
                labeled("stale", linear("d-stale", stale, LinearSignatureVerifier.sign(SECRET, stale))),
                labeled("valid", linear("d-valid", fresh, LinearSignatureVerifier.sign(SECRET, fresh)))));
        assertEquals(List.of("valid"), r.accepted().stream().map(IngestReport.Accepted::label).toList());
        assertEquals(List.of(
                        new IngestReport.Rejection("missing", IngestReport.SIGNATURE_MISSING, r.rejected().get(0).message()),
                        new IngestReport.Rejection("wrong", IngestReport.SIGNATURE_INVALID, r.rejected().get(1).message()),
                        new IngestReport.Rejection("stale", IngestReport.SIGNATURE_STALE, r.rejected().get(2).message())),
                r.rejected());
        assertTrue(r.rejected().get(0).message().contains("linear-signature"), r.rejected().get(0).message());
        assertTrue(r.rejected().get(2).message().contains("5 min old"), r.rejected().get(2).message());
        assertTrue(r.warnings().stream().noneMatch(w -> w.message().contains("not verified")), r.warnings().toString());
        List<StoredEvent> log = log();
        assertEquals(1, log.size());
        assertEquals("d-valid", log.getFirst().deliveryId());
        assertTrue(store.delivery(TENANT, "linear", "d-wrong").isEmpty(), "a refused delivery is not kept");
    }

    @Test
    void withoutASecretNothingIsVerifiedAndTheReportSaysSoOnce() {
        IngestReport r = ingestor().build().ingest(TENANT, List.of(
                labeled("a", linear("d-1", linearIssue(NOW), null)),
                labeled("b", linear("d-2", linearIssue(NOW.minusSeconds(3600)), "not-even-hex"))));
        assertEquals(2, r.accepted().size());
        assertEquals(1, r.warnings().stream().filter(w -> w.label() == null && w.message().contains("not verified")).count(), r.warnings().toString());
    }

    @Test
    void badPayloadsAreRejectedWithTheirCodesAndLeaveTheLogUnchanged() {
        Ingestor in = ingestor().build();
        in.ingest(TENANT, List.of(labeled("push", Corpus.delivery("github/push/push.noaction.0.json"))));
        List<StoredEvent> before = log();
        byte[] deep = ("{\"a\":" + "[".repeat(10_000) + "]".repeat(10_000) + "}").getBytes(StandardCharsets.UTF_8);
        IngestReport r = in.ingest(TENANT, List.of(
                labeled("truncated", Corpus.github("push", "{\"ref\": \"refs/heads/main\", \"commits\": [")),
                labeled("wrong-type", Corpus.github("pull_request", "{\"action\": 7, \"pull_request\": {}}")),
                labeled("not-utf8", new RawDelivery("github", Map.of("X-GitHub-Event", "push", "X-GitHub-Delivery", "u"),
                        new byte[] {'{', '"', 'a', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'}, NOW)),
                labeled("deep", new RawDelivery("github", Map.of("X-GitHub-Event", "push", "X-GitHub-Delivery", "deep"), deep, NOW)),
                labeled("huge", new RawDelivery("github", Map.of("X-GitHub-Event", "push", "X-GitHub-Delivery", "big"),
                        new byte[10 * 1024 * 1024], NOW)),
                labeled("no-event", new RawDelivery("github", Map.of("X-GitHub-Delivery", "h"), "{}".getBytes(StandardCharsets.UTF_8), NOW)),
                labeled("unknown-source", new RawDelivery("gitlab", Map.of(), "{}".getBytes(StandardCharsets.UTF_8), NOW)),
                labeled("replayed", Corpus.delivery("github/push/push.noaction.0.json"))));
        assertEquals(List.of("malformed_json", "wrong_type", "not_utf8", "too_deep", "too_large", "missing_header", "unknown_source"),
                r.rejected().stream().map(IngestReport.Rejection::code).toList());
        assertEquals(List.of(new IngestReport.Duplicate("replayed", "d-push.noaction.0.json", false)), r.duplicates());
        assertEquals(0, r.accepted().size());
        assertEquals(before, log());
    }

    @Test
    void oneBadFileDoesNotStopTheOthers() {
        IngestReport r = ingestor().batchSize(2).build().ingest(TENANT, List.of(
                labeled("a", Corpus.delivery("github/push/push.noaction.1.json")),
                labeled("bad", Corpus.github("push", "[1, 2")),
                labeled("b", Corpus.delivery("vercel/DeploymentReady.json")),
                labeled("a-again", Corpus.delivery("github/push/push.noaction.1.json")),
                labeled("c", Corpus.delivery("sentry/example-app/issue.created.json"))));
        assertEquals(List.of("a", "b", "c"), r.accepted().stream().map(IngestReport.Accepted::label).toList());
        assertEquals(List.of(new IngestReport.Duplicate("a-again", "d-push.noaction.1.json", true)), r.duplicates());
        assertEquals(List.of("bad"), r.rejected().stream().map(IngestReport.Rejection::label).toList());
        assertEquals(3, log().size());
    }

    @Test
    void theWholeCorpusTwiceChangesNothingTheSecondTime() {
        List<LabeledDelivery> corpus = new ArrayList<>();
        for (Path p : Corpus.payloads()) corpus.add(labeled(Corpus.root().relativize(p).toString(), Corpus.delivery(p)));
        Ingestor in = ingestor().build();
        IngestReport first = in.ingest(TENANT, corpus);
        assertEquals(List.of(), first.rejected());
        assertEquals(corpus.size(), first.accepted().size() + first.duplicates().size());
        List<StoredEvent> log = log();
        assertEquals(first.accepted().size(), log.size());
        List<EntityView> graph = graph(log);

        IngestReport second = in.ingest(TENANT, corpus);
        assertEquals(0, second.accepted().size());
        assertEquals(List.of(), second.rejected());
        assertEquals(corpus.size(), second.duplicates().size());
        assertEquals(log, log());
        assertEquals(graph, graph(log));
    }

    /** Every entity the log's events refer to, as the store shows it. */
    private List<EntityView> graph(List<StoredEvent> log) {
        List<EntityView> out = new ArrayList<>();
        log.stream().flatMap(e -> e.event().entities().stream()).distinct()
                .forEach(ref -> out.add(store.entity(TENANT, ref.type(), ref.key()).orElseThrow()));
        return out;
    }

    @Test
    void aGithubPushAndAVercelDeploymentOfTheSameShaAreLinkedToOneCommit() {
        RawDelivery push = Corpus.delivery("github/push/push.noaction.4.json");
        Ingestor in = ingestor().build();
        in.ingest(TENANT, List.of(labeled("push", push)));
        String sha = log().getFirst().event().getString("sha");
        String vercel = new String(Corpus.read("vercel/DeploymentSucceeded.json"), StandardCharsets.UTF_8)
                .replace("d298272f30b0ece055912eb50739ce5106c3d716", sha);
        IngestReport r = in.ingest(TENANT, List.of(labeled("deploy",
                new RawDelivery("vercel", Map.of(), vercel.getBytes(StandardCharsets.UTF_8), NOW))));
        assertEquals(1, r.accepted().size());

        List<EntityView> found = store.findEntities(TENANT, sha);
        List<EntityView> commits = found.stream().filter(v -> v.type().equals("commit")).toList();
        assertEquals(1, commits.size(), found.toString());
        EntityView commit = commits.getFirst();
        String deploymentKey = log().get(1).event().getString("deployment_id");
        assertTrue(commit.relations().contains(new Normalised.Relation("deployment", deploymentKey, "deploys", "commit", sha)),
                commit.relations().toString());
        assertTrue(commit.relations().stream().anyMatch(rel -> rel.kind().equals("part_of") && rel.fromKey().equals(sha)
                && rel.toType().equals("branch")), commit.relations().toString());
        List<String> cited = store.citations(TENANT, "commit", sha).stream().map(e -> e.event().source()).distinct().toList();
        assertEquals(List.of("github", "vercel"), cited);
        assertEquals(2, commit.occurrences());
    }

    @Test
    void aLinearIssueWhoseAttachmentIsAGithubPrUrlIsTrackedInThatPr() {
        byte[] body = new String(Corpus.read("linear/AttachmentCreated.json"), StandardCharsets.UTF_8)
                .replace("https://www.rickastley.co.uk/", "https://github.com/acme/api/pull/42")
                .getBytes(StandardCharsets.UTF_8);
        IngestReport r = ingestor().build().ingest(TENANT, List.of(labeled("attachment", linear("att-1", body, null))));
        assertEquals(1, r.accepted().size(), r.toString());
        String issue = log().getFirst().event().getString("issue_key");
        EntityView linearIssue = store.entity(TENANT, "linear_issue", issue).orElseThrow();
        Normalised.Relation tracked = new Normalised.Relation("linear_issue", issue, "tracked_in", "pull_request", "acme/api#42");
        assertTrue(linearIssue.relations().contains(tracked), linearIssue.relations().toString());
        EntityView pr = store.entity(TENANT, "pull_request", "acme/api#42").orElseThrow();
        assertTrue(pr.relations().contains(tracked), "the PR sees the edge too: " + pr.relations());
        assertEquals(List.of("linear:att-1"), pr.relationEventIds());
    }

    @Test
    void significanceFromTheCatalogOrTheProgram() {
        RawDelivery ready = Corpus.delivery("vercel/DeploymentError.json");
        IngestReport plain = ingestor().build().ingest(TENANT, List.of(labeled("a", ready)));
        int catalogDefault = Catalog.standard().eventType("vercel.deployment.error").orElseThrow().defaultSignificance();
        assertEquals(catalogDefault, plain.accepted().getFirst().significance());
        assertEquals(catalogDefault, log().getFirst().event().significance());

        CompiledProgram program = compile("""
                program "t"
                significance {
                  vercel.deployment.error where target == "production" => 95
                  vercel.deployment.error => 61
                }
                """);
        IngestReport scored = ingestor().scorer(SignificanceScorer.of(program)).build().ingest("other", List.of(labeled("a", ready)));
        int expected = "production".equals(store.events("other", EventQuery.all()).getFirst().event().get("target")) ? 95 : 61;
        assertEquals(expected, scored.accepted().getFirst().significance());
        assertEquals(expected, store.events("other", EventQuery.all()).getFirst().event().significance());
        assertFalse(store.events("other", EventQuery.all()).getFirst().event().data().values().stream()
                .anyMatch(v -> v instanceof Integer || v instanceof Long), "numbers come back as doubles");
    }

    static CompiledProgram compile(String source) {
        ProgramFiles files = new ProgramFiles("t", Map.of(
                "charter.yaml", "name: t\n".getBytes(StandardCharsets.UTF_8),
                "main.charter", source.getBytes(StandardCharsets.UTF_8)));
        Compilation c = new ProgramCompiler(Catalog.standard()).compile(files);
        assertTrue(c.ok(), c.diagnostics().toString());
        return c.program();
    }
}
