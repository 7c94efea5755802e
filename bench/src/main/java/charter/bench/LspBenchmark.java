package charter.bench;

import charter.lsp.CharterLanguageServer;
import java.nio.channels.Channels;
import java.nio.channels.Pipe;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.eclipse.lsp4j.ClientCapabilities;
import org.eclipse.lsp4j.CompletionParams;
import org.eclipse.lsp4j.DidChangeTextDocumentParams;
import org.eclipse.lsp4j.DidOpenTextDocumentParams;
import org.eclipse.lsp4j.InitializeParams;
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
 * The language server on the acme Program, as an editor sees it: a real LSP4J client speaking
 * JSON-RPC to the server over pipes, every file of acme open. Each keystroke is a `didChange` of
 * deploys.charter that alternately introduces and fixes an unknown field; the time measured runs
 * from sending it to receiving the diagnostics that reflect it (debounce, check of the whole
 * Program, publishing). Completion is timed from request to answer after `d.` in a half-typed
 * rule. Target: both within 100 ms.
 *
 * <pre>bench/run lsp [KEYSTROKES] [PROGRAM]</pre>
 */
public final class LspBenchmark {
    public static void main(String[] args) throws Exception {
        int keystrokes = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        Path source = Path.of(args.length > 1 ? args[1] : "program-examples/acme");
        Path dir = Files.createTempDirectory("charter-lsp-bench-");
        try {
            copy(source, dir);
            run(dir, source, keystrokes);
        } finally {
            try (Stream<Path> walk = Files.walk(dir)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static void run(Path program, Path source, int keystrokes) throws Exception {
        String loadBefore = loadAverage();
        Pipe toServer = Pipe.open();
        Pipe toClient = Pipe.open();
        CharterLanguageServer real = new CharterLanguageServer("bench", CharterLanguageServer.DEFAULT_DEBOUNCE_MILLIS, () -> { });
        var serverLauncher = LSPLauncher.createServerLauncher(real, Channels.newInputStream(toServer.source()), Channels.newOutputStream(toClient.sink()));
        real.connect(serverLauncher.getRemoteProxy());
        serverLauncher.startListening();
        BlockingQueue<PublishDiagnosticsParams> published = new LinkedBlockingQueue<>();
        var clientLauncher = LSPLauncher.createClientLauncher(new Client(published), Channels.newInputStream(toClient.source()),
                Channels.newOutputStream(toServer.sink()));
        clientLauncher.startListening();
        LanguageServer server = clientLauncher.getRemoteProxy();
        InitializeParams init = new InitializeParams();
        init.setCapabilities(new ClientCapabilities());
        server.initialize(init).get(60, TimeUnit.SECONDS);
        server.initialized(new InitializedParams());

        List<Path> files;
        try (Stream<Path> list = Files.list(program)) {
            files = list.filter(p -> p.toString().endsWith(".charter")).sorted().toList();
        }
        for (Path f : files) {
            server.getTextDocumentService().didOpen(new DidOpenTextDocumentParams(new TextDocumentItem(uri(f), "charter", 1, Files.readString(f))));
        }
        Path edited = program.resolve("deploys.charter");
        String clean = Files.readString(edited);
        String broken = clean.replaceFirst("d\\.target == \"production\"", "d.targte == \"production\"");
        if (broken.equals(clean)) throw new IllegalStateException("deploys.charter has no `d.target == \"production\"` to misspell");
        String uri = uri(edited);
        // Warm-up: the first checks load the catalog, GraalJS and the JIT.
        int version = 2;
        for (int i = 0; i < 30; i++) keystroke(server, published, uri, i % 2 == 0 ? broken : clean, version++);

        List<Long> diagnostics = new ArrayList<>();
        // CPU time of the whole process per keystroke (client, JSON-RPC and server): what a keystroke costs
        // whatever else the machine runs; on a busy machine the wall-clock figures mostly measure the wait for a core.
        var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        long cpuBefore = os.getProcessCpuTime();
        for (int i = 0; i < keystrokes; i++) {
            long t0 = System.nanoTime();
            keystroke(server, published, uri, i % 2 == 0 ? broken : clean, version++);
            diagnostics.add(System.nanoTime() - t0);
        }
        double cpuPerKeystroke = (os.getProcessCpuTime() - cpuBefore) / 1e6 / keystrokes;

        Path scratch = program.resolve("typing.charter");
        String half = "rule typing \"half-typed\" {\n  when vercel.deployment.error d where d.";
        server.getTextDocumentService().didOpen(new DidOpenTextDocumentParams(new TextDocumentItem(uri(scratch), "charter", 1, half)));
        Position end = new Position(1, half.length() - half.indexOf('\n') - 1);
        List<Long> completion = new ArrayList<>();
        for (int i = 0; i < 30 + keystrokes; i++) {
            long t0 = System.nanoTime();
            var items = server.getTextDocumentService().completion(new CompletionParams(new TextDocumentIdentifier(uri(scratch)), end))
                    .get(60, TimeUnit.SECONDS).getLeft();
            long took = System.nanoTime() - t0;
            if (items.stream().noneMatch(item -> item.getLabel().equals("target"))) throw new IllegalStateException("no `target` in " + items);
            if (i >= 30) completion.add(took);
        }
        System.out.printf("language server on %s (%d files), %d keystrokes after 30 warm-up, debounce %d ms; load average %s -> %s%n",
                source, files.size(), keystrokes, CharterLanguageServer.DEFAULT_DEBOUNCE_MILLIS, loadBefore, loadAverage());
        System.out.printf("  didChange -> publishDiagnostics: p50 %.1f ms, p99 %.1f ms, max %.1f ms%n",
                percentile(diagnostics, 50), percentile(diagnostics, 99), percentile(diagnostics, 100));
        System.out.printf("  CPU time per keystroke (whole process): %.1f ms%n", cpuPerKeystroke);
        System.out.printf("  completion round trip:           p50 %.1f ms, p99 %.1f ms, max %.1f ms%n",
                percentile(completion, 50), percentile(completion, 99), percentile(completion, 100));
        server.shutdown().get(60, TimeUnit.SECONDS);
        toServer.sink().close();
        toClient.sink().close();
    }

    /** Sends one change and waits for the diagnostics of the edited file that match it (an error, or none). */
    private static void keystroke(LanguageServer server, BlockingQueue<PublishDiagnosticsParams> published, String uri, String text,
                                  int version) throws InterruptedException {
        boolean expectError = text.contains("d.targte");
        server.getTextDocumentService().didChange(new DidChangeTextDocumentParams(new VersionedTextDocumentIdentifier(uri, version),
                List.of(new TextDocumentContentChangeEvent(text))));
        while (true) {
            PublishDiagnosticsParams p = published.poll(60, TimeUnit.SECONDS);
            if (p == null) throw new IllegalStateException("no diagnostics within 60 s");
            if (p.getUri().equals(uri) && p.getDiagnostics().isEmpty() != expectError) return;
        }
    }

    private static double percentile(List<Long> nanos, int p) {
        List<Long> sorted = nanos.stream().sorted().toList();
        int index = Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1);
        return sorted.get(Math.max(0, index)) / 1e6;
    }

    /** The one-minute load average: on a busy 2-core machine it moves every figure. */
    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (java.io.IOException | RuntimeException e) {
            return "?";
        }
    }

    private static String uri(Path p) {
        return p.toAbsolutePath().normalize().toUri().toString();
    }

    private static void copy(Path from, Path to) throws Exception {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(target);
                else Files.copy(p, target);
            }
        }
    }

    private record Client(BlockingQueue<PublishDiagnosticsParams> published) implements LanguageClient {
        @Override public void publishDiagnostics(PublishDiagnosticsParams p) { published.add(p); }
        @Override public void telemetryEvent(Object o) { }
        @Override public void showMessage(MessageParams p) { }
        @Override public CompletableFuture<MessageActionItem> showMessageRequest(ShowMessageRequestParams p) {
            return CompletableFuture.completedFuture(null);
        }
        @Override public void logMessage(MessageParams p) { }
    }
}
