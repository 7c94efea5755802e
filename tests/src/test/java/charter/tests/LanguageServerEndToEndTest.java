package charter.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.lsp4j.ClientCapabilities;
import org.eclipse.lsp4j.CompletionParams;
import org.eclipse.lsp4j.DidOpenTextDocumentParams;
import org.eclipse.lsp4j.InitializeParams;
import org.eclipse.lsp4j.InitializedParams;
import org.eclipse.lsp4j.MessageActionItem;
import org.eclipse.lsp4j.MessageParams;
import org.eclipse.lsp4j.Position;
import org.eclipse.lsp4j.PublishDiagnosticsParams;
import org.eclipse.lsp4j.ShowMessageRequestParams;
import org.eclipse.lsp4j.TextDocumentIdentifier;
import org.eclipse.lsp4j.TextDocumentItem;
import org.eclipse.lsp4j.launch.LSPLauncher;
import org.eclipse.lsp4j.services.LanguageClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real `./charter lsp` process, spoken to over its stdin and stdout as an editor does: nothing but the protocol on stdout. */
class LanguageServerEndToEndTest {
    @TempDir
    Path tmp;

    @Test
    void charterLspReportsADiagnosticCompletesAndExitsCleanly() throws Exception {
        Path program = tmp.resolve("p");
        Files.createDirectories(program);
        Files.writeString(program.resolve("charter.yaml"), "name: p\n");
        String text = "program \"p\"\n\nrule r \"R\" {\n  when vercel.deployment.error d where d.targte == \"production\"\n"
                + "  then slack.post(channel: \"#x\", text: \"y\")\n}\n";
        Path main = program.resolve("main.charter");
        Files.writeString(main, text);

        Process lsp = new ProcessBuilder(Charter.root().resolve("charter").toString(), "lsp")
                .redirectError(tmp.resolve("stderr.txt").toFile()).start();
        BlockingQueue<PublishDiagnosticsParams> diagnostics = new LinkedBlockingQueue<>();
        LanguageClient client = new LanguageClient() {
            @Override public void publishDiagnostics(PublishDiagnosticsParams p) { diagnostics.add(p); }
            @Override public void telemetryEvent(Object o) {}
            @Override public void showMessage(MessageParams p) {}
            @Override public CompletableFuture<MessageActionItem> showMessageRequest(ShowMessageRequestParams p) {
                return CompletableFuture.completedFuture(null);
            }
            @Override public void logMessage(MessageParams p) {}
        };
        try {
            var launcher = LSPLauncher.createClientLauncher(client, lsp.getInputStream(), lsp.getOutputStream());
            launcher.startListening();
            var server = launcher.getRemoteProxy();
            InitializeParams init = new InitializeParams();
            init.setCapabilities(new ClientCapabilities());
            assertEquals("charter", server.initialize(init).get(Charter.TIMEOUT_SECONDS, TimeUnit.SECONDS).getServerInfo().getName());
            server.initialized(new InitializedParams());
            String uri = main.toUri().toString();
            server.getTextDocumentService().didOpen(new DidOpenTextDocumentParams(new TextDocumentItem(uri, "charter", 1, text)));

            PublishDiagnosticsParams published;
            do {
                published = diagnostics.poll(Charter.TIMEOUT_SECONDS, TimeUnit.SECONDS);
                assertTrue(published != null, "no diagnostics from charter lsp");
            } while (!Path.of(java.net.URI.create(published.getUri())).equals(main));
            assertEquals(1, published.getDiagnostics().size(), published.toString());
            assertEquals("CH402", published.getDiagnostics().getFirst().getCode().getLeft());
            assertEquals(3, published.getDiagnostics().getFirst().getRange().getStart().getLine());

            int at = text.indexOf("d.targte") + 2;
            var items = server.getTextDocumentService().completion(new CompletionParams(new TextDocumentIdentifier(uri),
                    new Position(3, at - text.lastIndexOf('\n', at) - 1))).get(60, TimeUnit.SECONDS).getLeft();
            assertTrue(items.stream().anyMatch(i -> i.getLabel().equals("target")), items.toString());

            server.shutdown().get(60, TimeUnit.SECONDS);
            server.exit();
            assertTrue(lsp.waitFor(60, TimeUnit.SECONDS), "charter lsp did not exit after `exit`");
            assertEquals(0, lsp.exitValue(), "exit after shutdown is a clean exit");
            String stderr = Files.readString(tmp.resolve("stderr.txt"));
            assertTrue(!stderr.contains("Exception"), stderr);
        } finally {
            lsp.destroyForcibly();
        }
    }
}
