package charter.lsp;

import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.channels.Pipe;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.lsp4j.ClientCapabilities;
import org.eclipse.lsp4j.CompletionItem;
import org.eclipse.lsp4j.CompletionParams;
import org.eclipse.lsp4j.Diagnostic;
import org.eclipse.lsp4j.DidChangeTextDocumentParams;
import org.eclipse.lsp4j.DidOpenTextDocumentParams;
import org.eclipse.lsp4j.InitializeParams;
import org.eclipse.lsp4j.InitializeResult;
import org.eclipse.lsp4j.InitializedParams;
import org.eclipse.lsp4j.MessageActionItem;
import org.eclipse.lsp4j.MessageParams;
import org.eclipse.lsp4j.Position;
import org.eclipse.lsp4j.PublishDiagnosticsParams;
import org.eclipse.lsp4j.ShowMessageRequestParams;
import org.eclipse.lsp4j.TextDocumentContentChangeEvent;
import org.eclipse.lsp4j.TextDocumentIdentifier;
import org.eclipse.lsp4j.TextDocumentItem;
import org.eclipse.lsp4j.VersionedTextDocumentIdentifier;
import org.eclipse.lsp4j.launch.LSPLauncher;
import org.eclipse.lsp4j.services.LanguageClient;
import org.eclipse.lsp4j.services.LanguageServer;

/**
 * A real LSP4J client talking JSON-RPC to a real server over a pair of pipes, the way an editor
 * talks to `charter lsp` over stdio: what the tests send is serialised, framed and parsed again.
 */
final class LspSession implements AutoCloseable {
    /** Records what the server sends the client: diagnostics by URI, newest last. */
    static final class RecordingClient implements LanguageClient {
        final BlockingQueue<PublishDiagnosticsParams> diagnostics = new LinkedBlockingQueue<>();
        final Map<String, List<Diagnostic>> latest = new ConcurrentHashMap<>();

        @Override
        public void publishDiagnostics(PublishDiagnosticsParams params) {
            latest.put(params.getUri(), params.getDiagnostics());
            diagnostics.add(params);
        }

        @Override
        public void telemetryEvent(Object object) {}

        @Override
        public void showMessage(MessageParams params) {}

        @Override
        public CompletableFuture<MessageActionItem> showMessageRequest(ShowMessageRequestParams params) {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public void logMessage(MessageParams params) {}
    }

    final RecordingClient client = new RecordingClient();
    final LanguageServer server;
    private final Future<Void> serverListening;
    private final Future<Void> clientListening;
    private final Pipe toServer;
    private final Pipe toClient;
    private int version = 1;

    LspSession() throws IOException {
        this(CharterLanguageServer.DEFAULT_DEBOUNCE_MILLIS);
    }

    LspSession(long debounceMillis) throws IOException {
        toServer = Pipe.open();
        toClient = Pipe.open();
        CharterLanguageServer real = new CharterLanguageServer("test", debounceMillis, () -> {});
        var serverLauncher = LSPLauncher.createServerLauncher(real, Channels.newInputStream(toServer.source()),
                Channels.newOutputStream(toClient.sink()));
        real.connect(serverLauncher.getRemoteProxy());
        serverListening = serverLauncher.startListening();
        var clientLauncher = LSPLauncher.createClientLauncher(client, Channels.newInputStream(toClient.source()),
                Channels.newOutputStream(toServer.sink()));
        server = clientLauncher.getRemoteProxy();
        clientListening = clientLauncher.startListening();
    }

    InitializeResult initialize(Path root) throws Exception {
        InitializeParams params = new InitializeParams();
        params.setCapabilities(new ClientCapabilities());
        params.setProcessId((int) ProcessHandle.current().pid());
        InitializeResult result = server.initialize(params).get(30, TimeUnit.SECONDS);
        server.initialized(new InitializedParams());
        return result;
    }

    static String uri(Path file) {
        return file.toAbsolutePath().normalize().toUri().toString();
    }

    String open(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        open(file, text);
        return text;
    }

    void open(Path file, String text) {
        server.getTextDocumentService().didOpen(new DidOpenTextDocumentParams(new TextDocumentItem(uri(file), "charter", version++, text)));
    }

    void change(Path file, String text) {
        server.getTextDocumentService().didChange(new DidChangeTextDocumentParams(
                new VersionedTextDocumentIdentifier(uri(file), version++), List.of(new TextDocumentContentChangeEvent(text))));
    }

    /** Waits for the next diagnostics of `file` that satisfy `until`; fails after 30 s. */
    List<Diagnostic> diagnosticsOf(Path file, java.util.function.Predicate<List<Diagnostic>> until) throws InterruptedException {
        String uri = uri(file);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            PublishDiagnosticsParams p = client.diagnostics.poll(100, TimeUnit.MILLISECONDS);
            if (p != null && p.getUri().equals(uri) && until.test(p.getDiagnostics())) return p.getDiagnostics();
        }
        throw new AssertionError("no diagnostics for " + uri + " as expected within 30 s; latest: " + client.latest.get(uri));
    }

    List<CompletionItem> complete(Path file, Position at) throws Exception {
        var result = server.getTextDocumentService().completion(new CompletionParams(new TextDocumentIdentifier(uri(file)), at))
                .get(30, TimeUnit.SECONDS);
        return result.isLeft() ? result.getLeft() : result.getRight().getItems();
    }

    /** The position just after the first occurrence of `marker` in `text` (after its `n`-th character when given). */
    static Position after(String text, String marker) {
        int at = text.indexOf(marker);
        if (at < 0) throw new AssertionError("no `" + marker + "` in the text");
        return position(text, at + marker.length());
    }

    static Position position(String text, int offset) {
        int line = 0, column = 0;
        for (int i = 0; i < offset; i++) {
            if (text.charAt(i) == '\n') { line++; column = 0; } else column++;
        }
        return new Position(line, column);
    }

    @Override
    public void close() throws Exception {
        try {
            server.shutdown().get(10, TimeUnit.SECONDS);
            server.exit();
        } finally {
            // Closing the pipes ends both listeners (end of stream); interrupting them could cut a message in half.
            toServer.sink().close();
            toClient.sink().close();
            try {
                serverListening.get(10, TimeUnit.SECONDS);
                clientListening.get(10, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException ended) {
                serverListening.cancel(true);
                clientListening.cancel(true);
            }
        }
    }
}
