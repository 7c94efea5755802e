package charter.lsp;

import charter.compiler.catalog.Catalog;
import charter.compiler.diag.Diagnostic;
import charter.compiler.diag.SourceText;
import charter.compiler.fmt.FormatResult;
import charter.compiler.fmt.ProgramFormatter;
import charter.compiler.load.ProgramFiles;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.lsp4j.CompletionItem;
import org.eclipse.lsp4j.CompletionList;
import org.eclipse.lsp4j.CompletionParams;
import org.eclipse.lsp4j.DefinitionParams;
import org.eclipse.lsp4j.DidChangeTextDocumentParams;
import org.eclipse.lsp4j.DidCloseTextDocumentParams;
import org.eclipse.lsp4j.DidOpenTextDocumentParams;
import org.eclipse.lsp4j.DidSaveTextDocumentParams;
import org.eclipse.lsp4j.DocumentFormattingParams;
import org.eclipse.lsp4j.DocumentSymbol;
import org.eclipse.lsp4j.DocumentSymbolParams;
import org.eclipse.lsp4j.Hover;
import org.eclipse.lsp4j.HoverParams;
import org.eclipse.lsp4j.Location;
import org.eclipse.lsp4j.LocationLink;
import org.eclipse.lsp4j.MarkupContent;
import org.eclipse.lsp4j.MarkupKind;
import org.eclipse.lsp4j.PublishDiagnosticsParams;
import org.eclipse.lsp4j.Range;
import org.eclipse.lsp4j.SymbolInformation;
import org.eclipse.lsp4j.TextEdit;
import org.eclipse.lsp4j.jsonrpc.messages.Either;
import org.eclipse.lsp4j.services.LanguageClient;
import org.eclipse.lsp4j.services.TextDocumentService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The documents the editor has open, and every request about them. A change schedules a check of
 * the document's whole Program (debounced); completion, hover, definitions, symbols and
 * formatting answer from the document's current text and the Program's latest check.
 */
final class CharterTextDocumentService implements TextDocumentService {
    private static final Logger log = LoggerFactory.getLogger(CharterTextDocumentService.class);

    private final Map<String, String> documents = new ConcurrentHashMap<>();
    /** The latest check of each Program folder (or of each file outside one, by its path). */
    private final Map<Path, ProgramAnalysis> analyses = new ConcurrentHashMap<>();
    /** The URIs each check published diagnostics to, to clear those that have none the next time. */
    private final Map<Path, Set<String>> published = new ConcurrentHashMap<>();
    private final ParseCache parses = new ParseCache();
    private final ProgramAnalyzer analyzer = new ProgramAnalyzer(parses);
    private final Completions completions;
    private final Hovers hovers;
    private final Definitions definitions;
    private final DebouncedRunner checks;
    private volatile LanguageClient client;
    /** After `shutdown` nothing more is published: the client may be closing its end. */
    private volatile boolean closed;

    CharterTextDocumentService(Catalog catalog, long debounceMillis) {
        this.completions = new Completions(catalog);
        this.hovers = new Hovers(catalog);
        this.definitions = new Definitions(catalog);
        this.checks = new DebouncedRunner(debounceMillis);
    }

    void connect(LanguageClient client) {
        this.client = client;
    }

    void close() {
        closed = true;
        checks.close();
    }

    // ---- document lifecycle

    @Override
    public void didOpen(DidOpenTextDocumentParams params) {
        documents.put(params.getTextDocument().getUri(), params.getTextDocument().getText());
        scheduleCheck(params.getTextDocument().getUri());
    }

    @Override
    public void didChange(DidChangeTextDocumentParams params) {
        String uri = params.getTextDocument().getUri();
        // Full synchronisation: each change carries the whole text; the last one wins.
        var changes = params.getContentChanges();
        if (changes.isEmpty()) return;
        documents.put(uri, changes.getLast().getText());
        scheduleCheck(uri);
    }

    @Override
    public void didClose(DidCloseTextDocumentParams params) {
        String uri = params.getTextDocument().getUri();
        documents.remove(uri);
        // The file on disk is what the Program holds now.
        scheduleCheck(uri);
    }

    @Override
    public void didSave(DidSaveTextDocumentParams params) {
        scheduleCheck(params.getTextDocument().getUri());
    }

    /** A file of a Program changed on disk (`charter.yaml`, a file not open): check its Program again. */
    void fileChanged(String uri) {
        scheduleCheck(uri);
    }

    // ---- checking

    private record Target(Path key, Path root, Path file) {}

    private Optional<Target> target(String uri) {
        return ProgramFolders.pathOf(uri).map(file -> ProgramFolders.rootOf(file)
                .map(root -> new Target(root, root, file)).orElse(new Target(file, null, file)));
    }

    private void scheduleCheck(String uri) {
        target(uri).ifPresent(t -> checks.submit(t.key(), () -> check(t, uri)));
    }

    /** Checks a Program now and publishes its diagnostics; a failure is logged with the folder and never reaches the editor as an error. */
    private ProgramAnalysis check(Target t, String uri) {
        try {
            ProgramAnalysis analysis;
            if (t.root() != null) {
                Map<String, String> overlay = new TreeMap<>();
                documents.forEach((u, text) -> ProgramFolders.pathOf(u).filter(p -> p.startsWith(t.root()))
                        .ifPresent(p -> overlay.put(ProgramFolders.relative(t.root(), p), text)));
                analysis = analyzer.analyze(t.root(), overlay);
            } else {
                String text = documents.get(uri);
                if (text == null) {   // closed: nothing of it is shown any more
                    analyses.remove(t.key());
                    publish(t.key(), t.file().getParent(), List.of(), Map.of(), Map.of());
                    return null;
                }
                analysis = analyzer.analyzeAlone(t.file(), text);
            }
            analyses.put(t.key(), analysis);
            publish(t.key(), analysis);
            return analysis;
        } catch (ProgramFiles.NoSuchProgramException e) {
            log.warn("cannot check the Program of {}: {}", uri, e.getMessage());
            return null;
        } catch (RuntimeException e) {
            log.error("checking the Program at {} failed", t.key(), e);
            return null;
        }
    }

    private void publish(Path key, ProgramAnalysis analysis) {
        Map<String, String> texts = new TreeMap<>();
        if (analysis.compilation() != null) analysis.compilation().sources().forEach((path, source) -> texts.put(path, source.text()));
        Map<String, List<Diagnostic>> byFile = new TreeMap<>(analysis.diagnostics());
        // Diagnostics without a place (no charter.yaml, no .charter file) are shown on the manifest.
        List<Diagnostic> placeless = byFile.remove("");
        if (placeless != null && key.equals(analysis.root())) {
            byFile.computeIfAbsent(ProgramFiles.MANIFEST, k -> new ArrayList<>()).addAll(placeless);
        }
        publish(key, analysis.root(), analysis.files(), byFile, texts);
    }

    private void publish(Path key, Path root, List<String> files, Map<String, List<Diagnostic>> byFile, Map<String, String> texts) {
        LanguageClient c = client;
        if (c == null || closed) return;
        Set<String> now = new HashSet<>();
        Set<String> paths = new java.util.TreeSet<>(files);
        paths.addAll(byFile.keySet());
        for (String path : paths) {
            if (!path.endsWith(".charter") && !path.equals(ProgramFiles.MANIFEST)) continue;
            String uri = uriFor(root, path);
            TextPositions positions = new TextPositions(texts.getOrDefault(path, documents.getOrDefault(uri, "")));
            List<org.eclipse.lsp4j.Diagnostic> list = byFile.getOrDefault(path, List.of()).stream()
                    .map(d -> DiagnosticConverter.convert(d, positions)).toList();
            now.add(uri);
            c.publishDiagnostics(new PublishDiagnosticsParams(uri, list));
        }
        Set<String> before = published.put(key, now);
        if (before != null) {
            for (String uri : before) if (!now.contains(uri)) c.publishDiagnostics(new PublishDiagnosticsParams(uri, List.of()));
        }
    }

    /** The URI the editor uses for a file of a Program: its own when the file is open, else the file's. */
    private String uriFor(Path root, String path) {
        Path file = root.resolve(path).normalize();
        for (String uri : documents.keySet()) {
            if (ProgramFolders.pathOf(uri).filter(file::equals).isPresent()) return uri;
        }
        return file.toUri().toString();
    }

    /** The latest check of the document's Program; the first request about a Program checks it at once. */
    private ProgramAnalysis analysisOf(String uri) {
        Optional<Target> t = target(uri);
        if (t.isEmpty()) return ProgramAnalysis.empty(Path.of("."));
        ProgramAnalysis a = analyses.get(t.get().key());
        if (a != null) return a;
        ProgramAnalysis fresh = check(t.get(), uri);
        return fresh == null ? ProgramAnalysis.empty(t.get().key()) : fresh;
    }

    /** The document's path inside its Program, as the index names files. */
    private String relativePath(String uri, ProgramAnalysis analysis) {
        return ProgramFolders.pathOf(uri).map(p -> p.startsWith(analysis.root()) ? ProgramFolders.relative(analysis.root(), p)
                : p.getFileName().toString()).orElse(uri);
    }

    // ---- requests

    @Override
    public CompletableFuture<Either<List<CompletionItem>, CompletionList>> completion(CompletionParams params) {
        String uri = params.getTextDocument().getUri();
        String text = documents.get(uri);
        if (text == null) return CompletableFuture.completedFuture(Either.forLeft(List.of()));
        ProgramAnalysis analysis = analysisOf(uri);
        int offset = new TextPositions(text).offset(params.getPosition());
        return CompletableFuture.completedFuture(Either.forLeft(completions.at(text, offset, analysis.index())));
    }

    @Override
    public CompletableFuture<Hover> hover(HoverParams params) {
        String uri = params.getTextDocument().getUri();
        String text = documents.get(uri);
        if (text == null) return CompletableFuture.completedFuture(null);
        TextPositions positions = new TextPositions(text);
        ProgramAnalysis analysis = analysisOf(uri);
        return CompletableFuture.completedFuture(hovers.at(text, positions.offset(params.getPosition()), analysis.index())
                .map(h -> new Hover(new MarkupContent(MarkupKind.MARKDOWN, h.markdown()),
                        new Range(positions.position(h.start()), positions.position(h.end()))))
                .orElse(null));
    }

    @Override
    public CompletableFuture<Either<List<? extends Location>, List<? extends LocationLink>>> definition(DefinitionParams params) {
        String uri = params.getTextDocument().getUri();
        String text = documents.get(uri);
        if (text == null) return CompletableFuture.completedFuture(Either.forLeft(List.of()));
        TextPositions positions = new TextPositions(text);
        ProgramAnalysis analysis = analysisOf(uri);
        String current = relativePath(uri, analysis);
        List<Location> locations = new ArrayList<>();
        definitions.at(text, positions.offset(params.getPosition()), analysis.index(), current).ifPresent(target -> {
            if (target.file() == null) {
                locations.add(new Location(uri, new Range(positions.position(target.localStart()), positions.position(target.localEnd()))));
                return;
            }
            String targetUri = uriFor(analysis.root(), target.file());
            String targetText = documents.getOrDefault(targetUri, sourceText(analysis, target.file()));
            locations.add(new Location(targetUri, new TextPositions(targetText).range(target.span())));
        });
        return CompletableFuture.completedFuture(Either.forLeft(locations));
    }

    private static String sourceText(ProgramAnalysis analysis, String file) {
        if (analysis.compilation() == null) return "";
        SourceText source = analysis.compilation().sources().get(file);
        return source == null ? "" : source.text();
    }

    @Override
    public CompletableFuture<List<Either<SymbolInformation, DocumentSymbol>>> documentSymbol(DocumentSymbolParams params) {
        String uri = params.getTextDocument().getUri();
        String text = documents.get(uri);
        if (text == null) return CompletableFuture.completedFuture(List.of());
        var file = parses.parse(uri, text).file();
        List<Either<SymbolInformation, DocumentSymbol>> out = new ArrayList<>();
        Symbols.of(file, new TextPositions(text)).forEach(s -> out.add(Either.forRight(s)));
        return CompletableFuture.completedFuture(out);
    }

    @Override
    public CompletableFuture<List<? extends TextEdit>> formatting(DocumentFormattingParams params) {
        String uri = params.getTextDocument().getUri();
        String text = documents.get(uri);
        if (text == null) return CompletableFuture.completedFuture(List.of());
        FormatResult result = ProgramFormatter.check(uri, text);
        // A file with syntax errors has no canonical form: leave it as it is (its diagnostics say why).
        if (!result.formattable() || result.canonical()) return CompletableFuture.completedFuture(List.of());
        return CompletableFuture.completedFuture(List.of(new TextEdit(new TextPositions(text).wholeDocument(), result.formatted())));
    }
}
