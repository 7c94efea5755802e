package charter.server;

import charter.engine.ingest.VercelSignatureVerifier;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Instant;

/**
 * The corpus's failed Vercel deploy (a preview: acme's `preview_deploy_failed` plans an action for
 * each) under a delivery id and deployment id of the test's choosing, signed as Vercel signs; or
 * the same deploy to production at a given time.
 */
final class FailedDeploy {
    static final byte[] SECRET = "vercel-secret".getBytes(StandardCharsets.UTF_8);
    private static final String CORPUS_DELIVERY = "ZqayS9s1AVuTRjB83vVSA2me";
    private static final String CORPUS_DEPLOYMENT = "dpl_12yAAMp54JKe1XxonMYqW4oWtK5K";
    private static final long CORPUS_CREATED_AT = 1698397688644L;

    private FailedDeploy() {}

    /** A POST of it to {@code base/webhooks/tenant/vercel}. */
    static HttpRequest.Builder request(String base, String tenant, String deliveryId, String deploymentId) throws IOException {
        return post(base, tenant, corpus(deliveryId).replace(CORPUS_DEPLOYMENT, deploymentId));
    }

    static HttpRequest.Builder request(String base, String tenant, String deliveryId) throws IOException {
        return request(base, tenant, deliveryId, CORPUS_DEPLOYMENT);
    }

    /** The deploy to production, failed at {@code at}. */
    static HttpRequest.Builder production(String base, String tenant, String deliveryId, Instant at) throws IOException {
        return post(base, tenant, corpus(deliveryId).replace("\"target\": null", "\"target\": \"production\"")
                .replace("\"createdAt\": " + CORPUS_CREATED_AT, "\"createdAt\": " + at.toEpochMilli()));
    }

    private static String corpus(String deliveryId) throws IOException {
        return Files.readString(ServerHttpTest.CORPUS.resolve("vercel/DeploymentError.json"))
                .replace("\"id\": \"" + CORPUS_DELIVERY + "\"", "\"id\": \"" + deliveryId + "\"");
    }

    private static HttpRequest.Builder post(String base, String tenant, String text) {
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        return HttpRequest.newBuilder(URI.create(base + "/webhooks/" + tenant + "/vercel"))
                .header("x-vercel-signature", VercelSignatureVerifier.sign(SECRET, body))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    }
}
