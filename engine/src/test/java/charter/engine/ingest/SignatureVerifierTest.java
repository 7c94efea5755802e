package charter.engine.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SignatureVerifierTest {

    static final Instant NOW = Instant.parse("2026-03-02T10:15:00Z");
    static final byte[] SECRET = "s3cret".getBytes(StandardCharsets.UTF_8);
    static final byte[] WRONG = "not-the-secret".getBytes(StandardCharsets.UTF_8);

    static RawDelivery d(String source, byte[] body, String... headers) {
        Map<String, String> h = new java.util.HashMap<>();
        for (int i = 0; i < headers.length; i += 2) {
            h.put(headers[i], headers[i + 1]);
        }
        return new RawDelivery(source, h, body, NOW);
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void githubVectorsFromTheCorpus() throws Exception {
        JsonNode vectors = new ObjectMapper().readTree(Corpus.read("github-signature-vectors.json"));
        int valid = 0;
        int invalid = 0;
        for (JsonNode v : vectors) {
            RawDelivery del = d("github", utf8(v.get("payload").textValue()), v.get("header").textValue(), v.get("expected").textValue());
            Verification r = new GithubSignatureVerifier().verify(del, utf8(v.get("secret").textValue()), NOW);
            assertEquals(v.get("valid").booleanValue(), r.isValid(), v.get("source").textValue() + ": " + r);
            if (v.get("valid").booleanValue()) {
                valid++;
                assertEquals(v.get("expected").textValue(), GithubSignatureVerifier.sign(utf8(v.get("secret").textValue()), del.body()));
            } else {
                invalid++;
                assertInstanceOf(Verification.Invalid.class, r); // "xxx…" is not hex: Invalid, not an exception
            }
        }
        assertEquals(5, valid);
        assertEquals(1, invalid);
    }

    @Test
    void githubMissingWrongPrefixTamperedAndUpperCaseHex() {
        byte[] body = utf8("{\"zen\":\"Keep it logically awesome.\"}");
        String sig = GithubSignatureVerifier.sign(SECRET, body);
        GithubSignatureVerifier v = new GithubSignatureVerifier();
        assertEquals(new Verification.Missing("x-hub-signature-256"), v.verify(d("github", body), SECRET, NOW));
        assertInstanceOf(Verification.Invalid.class, v.verify(d("github", body, "X-Hub-Signature-256", sig.substring(7)), SECRET, NOW));
        assertInstanceOf(Verification.Invalid.class, v.verify(d("github", body, "X-Hub-Signature-256", "sha1=" + sig.substring(7)), SECRET, NOW));
        assertTrue(v.verify(d("github", body, "X-Hub-Signature-256", "sha256=" + sig.substring(7).toUpperCase()), SECRET, NOW).isValid());
        byte[] tampered = body.clone();
        tampered[3] ^= 1;
        assertInstanceOf(Verification.Invalid.class, v.verify(d("github", tampered, "X-Hub-Signature-256", sig), SECRET, NOW));
        assertInstanceOf(Verification.Invalid.class, v.verify(d("github", body, "X-Hub-Signature-256", sig), WRONG, NOW));
        assertInstanceOf(Verification.Invalid.class, v.verify(d("github", body, "X-Hub-Signature-256", "sha256=abc"), SECRET, NOW));
    }

    @Test
    void vercelHmacSha1() {
        byte[] body = Corpus.read("vercel/DeploymentReady.json");
        String sig = VercelSignatureVerifier.sign(SECRET, body);
        assertEquals(40, sig.length(), "SHA-1 hex");
        VercelSignatureVerifier v = new VercelSignatureVerifier();
        assertTrue(v.verify(d("vercel", body, "x-vercel-signature", sig), SECRET, NOW).isValid());
        assertInstanceOf(Verification.Invalid.class, v.verify(d("vercel", body, "x-vercel-signature", sig), WRONG, NOW));
        assertEquals(new Verification.Missing("x-vercel-signature"), v.verify(d("vercel", body), SECRET, NOW));
        byte[] tampered = (new String(body, StandardCharsets.UTF_8).replace("deployment.ready", "deployment.error")).getBytes(StandardCharsets.UTF_8);
        assertInstanceOf(Verification.Invalid.class, v.verify(d("vercel", tampered, "x-vercel-signature", sig), SECRET, NOW));
        assertInstanceOf(Verification.Invalid.class, v.verify(d("vercel", body, "x-vercel-signature", "zz" + sig.substring(2)), SECRET, NOW));
    }

    static byte[] linearBody(Instant ts) {
        String base = new String(Corpus.read("linear/IssueUpdated.json"), StandardCharsets.UTF_8);
        // stamp a fresh epoch-ms timestamp, as current Linear sends
        return utf8(base.replaceFirst("\"webhookTimestamp\": \"[^\"]*\"", "\"webhookTimestamp\": " + ts.toEpochMilli()));
    }

    @Test
    void linearSignatureAndReplayWindow() {
        LinearSignatureVerifier v = new LinearSignatureVerifier();
        byte[] fresh = linearBody(NOW.minusSeconds(5));
        String sig = LinearSignatureVerifier.sign(SECRET, fresh);
        assertTrue(v.verify(d("linear", fresh, "linear-signature", sig), SECRET, NOW).isValid());
        assertInstanceOf(Verification.Invalid.class, v.verify(d("linear", fresh, "linear-signature", sig), WRONG, NOW));
        assertEquals(new Verification.Missing("linear-signature"), v.verify(d("linear", fresh), SECRET, NOW));
        byte[] tampered = new String(fresh, StandardCharsets.UTF_8).replace("\"priority\": 2", "\"priority\": 1").getBytes(StandardCharsets.UTF_8);
        assertInstanceOf(Verification.Invalid.class, v.verify(d("linear", tampered, "linear-signature", sig), SECRET, NOW));

        byte[] stale = linearBody(NOW.minusSeconds(61));
        Verification r = v.verify(d("linear", stale, "linear-signature", LinearSignatureVerifier.sign(SECRET, stale)), SECRET, NOW);
        assertEquals(new Verification.Stale(Duration.ofSeconds(61)), r);
        byte[] edge = linearBody(NOW.minusSeconds(60));
        assertTrue(v.verify(d("linear", edge, "linear-signature", LinearSignatureVerifier.sign(SECRET, edge)), SECRET, NOW).isValid());
        byte[] future = linearBody(NOW.plusSeconds(120));
        assertInstanceOf(Verification.Stale.class, v.verify(d("linear", future, "linear-signature", LinearSignatureVerifier.sign(SECRET, future)), SECRET, NOW));

        byte[] noTs = utf8("{\"action\":\"create\",\"type\":\"Issue\",\"data\":{}}");
        assertEquals(new Verification.Missing("webhookTimestamp"),
                v.verify(d("linear", noTs, "linear-signature", LinearSignatureVerifier.sign(SECRET, noTs)), SECRET, NOW));
    }

    @Test
    void sentryCurrentAndLegacyHeaderAndEmptyBody() {
        byte[] body = Corpus.read("sentry/docs/issue.created.json");
        String sig = SentrySignatureVerifier.sign(SECRET, body);
        SentrySignatureVerifier v = new SentrySignatureVerifier();
        assertTrue(v.verify(d("sentry", body, "Sentry-Hook-Signature", sig), SECRET, NOW).isValid());
        assertTrue(v.verify(d("sentry", body, "Sentry-App-Signature", sig), SECRET, NOW).isValid());
        assertInstanceOf(Verification.Invalid.class, v.verify(d("sentry", body, "Sentry-Hook-Signature", sig), WRONG, NOW));
        assertEquals(new Verification.Missing("sentry-hook-signature"), v.verify(d("sentry", body), SECRET, NOW));
        byte[] tampered = body.clone();
        tampered[tampered.length - 3] ^= 0x20;
        assertInstanceOf(Verification.Invalid.class, v.verify(d("sentry", tampered, "Sentry-Hook-Signature", sig), SECRET, NOW));
        // an empty body signs the empty string
        byte[] empty = new byte[0];
        String emptySig = SentrySignatureVerifier.sign(SECRET, empty);
        assertTrue(v.verify(d("sentry", empty, "Sentry-Hook-Signature", emptySig), SECRET, NOW).isValid());
        assertInstanceOf(Verification.Invalid.class, v.verify(d("sentry", empty, "Sentry-Hook-Signature", sig), SECRET, NOW));
    }

    @Test
    void forSource() {
        assertInstanceOf(GithubSignatureVerifier.class, SignatureVerifier.forSource("github"));
        assertInstanceOf(SentrySignatureVerifier.class, SignatureVerifier.forSource("sentry"));
    }
}
