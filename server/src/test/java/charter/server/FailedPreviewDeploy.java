package charter.server;

import charter.engine.ingest.VercelSignatureVerifier;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;

/**
 * The corpus's failed Vercel deploy (a preview: acme's `preview_deploy_failed` plans an action for
 * each) under a delivery id and deployment id of the test's choosing, signed as Vercel signs.
 */
final class FailedPreviewDeploy {
    static final byte[] SECRET = "vercel-secret".getBytes(StandardCharsets.UTF_8);
    private static final String CORPUS_DELIVERY = "ZqayS9s1AVuTRjB83vVSA2me";
    private static final String CORPUS_DEPLOYMENT = "dpl_12yAAMp54JKe1XxonMYqW4oWtK5K";

    private FailedPreviewDeploy() {}

    /** A POST of it to {@code base/webhooks/tenant/vercel}. */
    static HttpRequest.Builder request(String base, String tenant, String deliveryId, String deploymentId) throws IOException {
        String text = Files.readString(ServerHttpTest.CORPUS.resolve("vercel/DeploymentError.json"))
                .replace("\"id\": \"" + CORPUS_DELIVERY + "\"", "\"id\": \"" + deliveryId + "\"")
                .replace(CORPUS_DEPLOYMENT, deploymentId);
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        return HttpRequest.newBuilder(URI.create(base + "/webhooks/" + tenant + "/vercel"))
                .header("x-vercel-signature", VercelSignatureVerifier.sign(SECRET, body))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    }

    static HttpRequest.Builder request(String base, String tenant, String deliveryId) throws IOException {
        return request(base, tenant, deliveryId, CORPUS_DEPLOYMENT);
    }
}
