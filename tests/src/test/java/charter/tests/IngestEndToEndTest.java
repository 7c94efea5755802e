package charter.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import charter.tests.Charter.Result;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `charter ingest`, `events`, `graph` and `simulate --from-store` through the real launcher, on corpus payloads. */
class IngestEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String SHA = "6113728f27ae82c7b1a177c8d03f9e96e0adf246";   // the `after` of push.noaction.4.json

    static Path corpus(String relative) {
        return Charter.root().resolve("engine/src/test/resources/corpus").resolve(relative);
    }

    static JsonNode json(Result r) throws IOException {
        return JSON.readTree(r.out());
    }

    static Result charter(Path dir, String... args) {
        return Charter.runIn(dir, args);
    }

    /**
     * A push, a Vercel deployment and a Sentry error of one SHA: real payloads, the deployment's and
     * the error's SHA (and the deployment's envelope id) rewritten to the push's.
     */
    static Path stitched(Path tmp) throws IOException {
        Path push = Files.createDirectories(tmp.resolve("in/github/push"));
        Files.copy(corpus("github/push/push.noaction.4.json"), push.resolve("push.noaction.4.json"));
        Path vercel = Files.createDirectories(tmp.resolve("in/vercel"));
        Files.writeString(vercel.resolve("DeploymentSucceeded.json"), Files.readString(corpus("vercel/DeploymentSucceeded.json"))
                .replace("d298272f30b0ece055912eb50739ce5106c3d716", SHA).replace("82nS5bZDY6JqnyQQ9SEfq", "evt_same_sha"));
        Path sentry = Files.createDirectories(tmp.resolve("in/sentry"));
        Files.writeString(sentry.resolve("error.created.json"), Files.readString(corpus("sentry/docs/error.created.json"))
                .replace("\"release\": null", "\"release\": \"" + SHA + "\""));
        Files.writeString(sentry.resolve("error.created.json.headers"), "Request-ID: req-same-sha\n# a comment\n");
        return tmp.resolve("in");
    }

    @Test
    void ingestFoldersThenEventsAndGraphOfTheCommit(@TempDir Path tmp) throws IOException {
        Path in = stitched(tmp);
        Result gh = charter(tmp, "ingest", "--source", "github", corpus("github/push").toString(), in.resolve("github").toString(),
                corpus("github/deployment").toString(), "--format", "json");
        assertEquals(0, gh.code(), gh::toString);
        JsonNode ghj = json(gh);
        // 7 pushes and 4 deployments; the stitched push is push.noaction.4.json byte for byte: the same delivery
        assertEquals(11, ghj.get("counts").get("accepted").asInt(), gh::toString);
        assertEquals(1, ghj.get("counts").get("duplicates").asInt(), gh::toString);
        Result v = charter(tmp, "ingest", "--source", "vercel", in.resolve("vercel").toString());
        assertEquals(0, v.code(), v::toString);
        assertTrue(v.out().contains("1 accepted"), v::toString);
        Result s = charter(tmp, "ingest", "--source", "sentry", in.resolve("sentry").toString(), "--format", "json");
        assertEquals(0, s.code(), s::toString);
        assertEquals("sentry:req-same-sha", json(s).get("accepted").get(0).get("eventId").asText(), s::toString);
        assertTrue(Files.exists(tmp.resolve(".charter-data/charter.db")), "--data defaults to ./.charter-data");

        Result again = charter(tmp, "ingest", "--source", "github", corpus("github/push").toString(), "--format", "json");
        assertEquals(0, again.code(), again::toString);
        assertEquals(0, json(again).get("counts").get("accepted").asInt());
        assertEquals(7, json(again).get("counts").get("duplicates").asInt());

        Result events = charter(tmp, "events", "--format", "json");
        assertEquals(0, events.code(), events::toString);
        JsonNode list = json(events).get("events");
        assertEquals(ghj.get("counts").get("accepted").asInt() + 2, list.size());
        for (int i = 0; i < list.size(); i++) assertEquals(i + 1, list.get(i).get("sequence").asInt(), "log order");
        Result pushes = charter(tmp, "events", "--type", "github.push", "--limit", "2");
        assertEquals(0, pushes.code(), pushes::toString);
        assertTrue(pushes.out().endsWith("2 events (tenant default, .charter-data)\n"), pushes::toString);
        Result bySource = charter(tmp, "events", "--source", "sentry", "--format", "json");
        assertEquals(1, json(bySource).get("count").asInt(), bySource::toString);

        Result graph = charter(tmp, "graph", SHA, "--format", "json");
        assertEquals(0, graph.code(), graph::toString);
        JsonNode commit = null;
        for (JsonNode e : json(graph).get("entities")) if (e.get("type").asText().equals("commit")) commit = e;
        assertTrue(commit != null, graph::toString);
        List<String> edges = new ArrayList<>();
        for (JsonNode r : commit.get("relations")) {
            edges.add(r.get("direction").asText() + " " + r.get("kind").asText() + " "
                    + (r.get("direction").asText().equals("in") ? r.get("from") : r.get("to")).get("type").asText());
        }
        assertTrue(edges.contains("in deploys deployment"), edges::toString);
        assertTrue(edges.contains("in same_commit release"), edges::toString);
        assertTrue(edges.contains("out part_of branch"), edges::toString);
        List<String> sources = new ArrayList<>();
        for (JsonNode c : commit.get("citations")) sources.add(c.get("source").asText());
        assertTrue(sources.containsAll(List.of("github", "vercel", "sentry")), sources::toString);
        assertTrue(commit.get("values").has("message"), commit::toString);
        assertTrue(commit.get("claims").get(0).has("eventId"), commit::toString);

        Result text = charter(tmp, "graph", SHA.substring(0, 10), "--type", "commit");
        assertEquals(1, text.code(), "a prefix needs the lookup without --type: " + text);
        Result prefix = charter(tmp, "graph", SHA.substring(0, 10));
        assertEquals(0, prefix.code(), prefix::toString);
        assertTrue(prefix.out().contains("<- deploys deployment:"), prefix::toString);
        Result missing = charter(tmp, "graph", "no-such-key");
        assertEquals(1, missing.code(), missing::toString);
        assertTrue(missing.err().contains("no entity with key no-such-key"), missing::toString);
        missing.assertNoTrace();
    }

    static String hmacHex(String algorithm, byte[] key, byte[] body) throws Exception {
        Mac mac = Mac.getInstance(algorithm);
        mac.init(new SecretKeySpec(key, algorithm));
        return java.util.HexFormat.of().formatHex(mac.doFinal(body));
    }

    /** Issue 12 item 6: a file with a time that overflows is refused on its own; the good file beside it is stored. */
    @Test
    void eachFileIsAcceptedOrRefusedOnItsOwn(@TempDir Path tmp) throws Exception {
        String error = Files.readString(corpus("vercel/DeploymentError.json"));
        Files.writeString(tmp.resolve("good.json"), error);
        Files.writeString(tmp.resolve("bad.json"), error.replaceFirst("\"createdAt\": *[0-9]+", "\"createdAt\": 100000000000000000")
                .replaceFirst("\"id\": *\"[^\"]*\"", "\"id\": \"evt-bad\""));
        Files.writeString(tmp.resolve("huge.json"), error.replaceFirst("\"createdAt\": *[0-9]+", "\"createdAt\": 1e999")
                .replaceFirst("\"id\": *\"[^\"]*\"", "\"id\": \"evt-huge\""));
        Result r = charter(tmp, "ingest", "--source", "vercel", "--data", "store", tmp.resolve("good.json").toString(),
                tmp.resolve("bad.json").toString(), tmp.resolve("huge.json").toString(), "--format", "json");
        assertEquals(1, r.code(), r::toString);
        r.assertNoTrace();
        JsonNode j = json(r);
        assertEquals(1, j.get("counts").get("accepted").asInt(), r::toString);
        assertEquals(2, j.get("rejected").size(), r::toString);
        assertTrue(j.get("rejected").get(0).get("file").asText().endsWith("bad.json"), r::toString);
        assertEquals("time_out_of_range", j.get("rejected").get(0).get("code").asText(), r::toString);
        assertEquals("number_out_of_range", j.get("rejected").get(1).get("code").asText(), r::toString);
        Result events = charter(tmp, "events", "--data", "store", "--format", "json");
        assertEquals(1, json(events).get("count").asInt(), events::toString);
    }

    @Test
    void aBadSignatureWithSecretEnvIsRejectedAndNothingIsStored(@TempDir Path tmp) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("github/push"));
        byte[] body = Files.readAllBytes(corpus("github/push/push.noaction.0.json"));
        Files.write(dir.resolve("good.json"), body);
        Files.writeString(dir.resolve("good.json.headers"), "X-GitHub-Delivery: good-1\nX-Hub-Signature-256: sha256="
                + hmacHex("HmacSHA256", "s3cret".getBytes(StandardCharsets.UTF_8), body) + "\n");
        Files.write(dir.resolve("bad.json"), body);
        Files.writeString(dir.resolve("bad.json.headers"), "X-GitHub-Delivery: bad-1\nX-Hub-Signature-256: sha256="
                + hmacHex("HmacSHA256", "wrong".getBytes(StandardCharsets.UTF_8), body) + "\n");
        Map<String, String> env = Map.of("GH_SECRET", "s3cret");

        Result bad = Charter.runIn(tmp, env, "ingest", "--source", "github", "--secret-env", "GH_SECRET",
                "--data", "store", dir.resolve("bad.json").toString());
        assertEquals(1, bad.code(), bad::toString);
        assertTrue(bad.err().contains("bad.json: rejected (signature_invalid)"), bad::toString);
        assertTrue(bad.out().contains("verified with the secret"), bad::toString);
        bad.assertNoTrace();
        Result none = charter(tmp, "events", "--data", "store", "--format", "json");
        assertEquals(0, none.code(), none::toString);
        assertEquals(0, json(none).get("count").asInt(), "nothing stored: " + none);

        Result both = Charter.runIn(tmp, env, "ingest", "--source", "github", "--secret-env", "GH_SECRET",
                "--data", "store", dir.toString(), "--format", "json");
        assertEquals(1, both.code(), both::toString);
        JsonNode j = json(both);
        assertEquals(1, j.get("counts").get("accepted").asInt(), both::toString);
        assertEquals("signature_invalid", j.get("rejected").get(0).get("code").asText());
        assertTrue(j.get("verified").asBoolean());

        Result unset = charter(tmp, "ingest", "--source", "github", "--secret-env", "NOT_SET_ANYWHERE", dir.toString());
        assertEquals(1, unset.code(), unset::toString);
        assertTrue(unset.err().contains("NOT_SET_ANYWHERE"), unset::toString);
        unset.assertNoTrace();

        Path loose = Files.createDirectories(tmp.resolve("loose"));
        Files.write(loose.resolve("x.json"), body);
        Result noEvent = charter(tmp, "ingest", "--source", "github", "--data", "store", loose.toString());
        assertEquals(1, noEvent.code(), noEvent::toString);
        assertTrue(noEvent.err().contains("not a GitHub event name"), noEvent::toString);
        Result withFlag = charter(tmp, "ingest", "--source", "github", "--data", "store", "--header", "X-GitHub-Event: push",
                "--header", "X-GitHub-Delivery: flag-1", loose.toString());
        assertEquals(0, withFlag.code(), withFlag::toString);
        assertTrue(withFlag.out().contains("github:flag-1"), withFlag::toString);
    }

    @Test
    void simulateFromTheStore(@TempDir Path tmp) throws IOException {
        Path program = Files.createDirectories(tmp.resolve("prog"));
        Files.writeString(program.resolve("charter.yaml"), "name: from-store\n");
        Files.writeString(program.resolve("main.charter"), """
                program "from-store"
                significance {
                  vercel.deployment.error => 88
                }
                rule failed_deploy {
                  when vercel.deployment.error d where d.significance >= 80
                  then slack.post(channel: "#deploys", text: "Deploy ${d.deployment_id} failed")
                }
                """);
        Result ingest = charter(tmp, "ingest", "--source", "vercel", "--program", program.toString(), corpus("vercel").toString(),
                "--format", "json");
        assertEquals(1, ingest.code(), "ProjectRemoved.payload-only.json has no envelope: " + ingest);
        JsonNode j = json(ingest);
        assertEquals("missing_field", j.get("rejected").get(0).get("code").asText());
        for (JsonNode a : j.get("accepted")) {
            if (a.get("type").asText().equals("vercel.deployment.error")) assertEquals(88, a.get("significance").asInt());
        }
        Result sim = charter(tmp, "simulate", program.toString(), "--from-store", "--format", "json");
        assertEquals(0, sim.code(), sim::toString);
        JsonNode r = json(sim);
        assertEquals(4, r.get("events").asInt(), sim::toString);
        assertEquals(1, r.get("summary").get("actions").asInt(), sim::toString);
        assertEquals("failed_deploy", r.get("timeline").get(0).get("provenance").get("id").asText());

        Result later = charter(tmp, "simulate", program.toString(), "--from-store", "--since", "2023-10-27T09:08:09Z");
        assertEquals(0, later.code(), later::toString);
        assertTrue(later.out().contains("0 events"), later::toString);
        Result neither = charter(tmp, "simulate", program.toString());
        assertEquals(1, neither.code(), neither::toString);
        assertTrue(neither.err().contains("--from-store"), neither::toString);
        Result empty = charter(tmp, "simulate", program.toString(), "--from-store", "--data", "nowhere");
        assertEquals(1, empty.code(), empty::toString);
        assertTrue(empty.err().contains("no store in nowhere"), empty::toString);
        assertTrue(Files.notExists(tmp.resolve("nowhere")), "reading never creates a data directory");

        // Impact of a change over the stored log: raising the threshold removes the planned action.
        Path stricter = Files.createDirectories(tmp.resolve("stricter"));
        Files.writeString(stricter.resolve("charter.yaml"), "name: from-store\n");
        Files.writeString(stricter.resolve("main.charter"),
                Files.readString(program.resolve("main.charter")).replace("d.significance >= 80", "d.significance >= 90"));
        Result diff = charter(tmp, "diff", program.toString(), stricter.toString(), "--from-store", "--format", "json");
        assertEquals(0, diff.code(), diff::toString);
        assertTrue(diff.out().contains("\"removed\""), diff::toString);
        assertTrue(diff.out().contains("failed_deploy"), diff::toString);
    }
}
