package charter.lsp;

import charter.compiler.catalog.Catalog;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.eclipse.lsp4j.CompletionOptions;
import org.eclipse.lsp4j.DidChangeConfigurationParams;
import org.eclipse.lsp4j.DidChangeWatchedFilesParams;
import org.eclipse.lsp4j.InitializeParams;
import org.eclipse.lsp4j.InitializeResult;
import org.eclipse.lsp4j.ServerCapabilities;
import org.eclipse.lsp4j.ServerInfo;
import org.eclipse.lsp4j.TextDocumentSyncKind;
import org.eclipse.lsp4j.services.LanguageClient;
import org.eclipse.lsp4j.services.LanguageClientAware;
import org.eclipse.lsp4j.services.LanguageServer;
import org.eclipse.lsp4j.services.TextDocumentService;
import org.eclipse.lsp4j.services.WorkspaceService;

/** Charter's language server: what it can do (its capabilities) and its life cycle; the work is in {@link CharterTextDocumentService}. */
public final class CharterLanguageServer implements LanguageServer, LanguageClientAware {
    /** How long a document must be quiet before its Program is checked again. */
    public static final long DEFAULT_DEBOUNCE_MILLIS = 20;

    private final CharterTextDocumentService documents;
    private final String version;
    private volatile boolean shutdown;
    private final Runnable onExit;

    /**
     * @param version the version to tell the editor
     * @param onExit  what the `exit` notification does (the command ends the process; tests close the streams)
     */
    public CharterLanguageServer(String version, long debounceMillis, Runnable onExit) {
        this.documents = new CharterTextDocumentService(Catalog.standard(), debounceMillis);
        this.version = version;
        this.onExit = onExit;
    }

    @Override
    public void connect(LanguageClient client) {
        documents.connect(client);
    }

    @Override
    public CompletableFuture<InitializeResult> initialize(InitializeParams params) {
        ServerCapabilities capabilities = new ServerCapabilities();
        capabilities.setTextDocumentSync(TextDocumentSyncKind.Full);
        capabilities.setCompletionProvider(new CompletionOptions(false, List.of(".", "(", ",", ":", " ")));
        capabilities.setHoverProvider(true);
        capabilities.setDefinitionProvider(true);
        capabilities.setDocumentSymbolProvider(true);
        capabilities.setDocumentFormattingProvider(true);
        return CompletableFuture.completedFuture(new InitializeResult(capabilities, new ServerInfo("charter", version)));
    }

    @Override
    public CompletableFuture<Object> shutdown() {
        shutdown = true;
        documents.close();
        return CompletableFuture.completedFuture(null);
    }

    /** Whether `shutdown` came before `exit`: the protocol's exit code is 0 then, 1 otherwise. */
    public boolean shutdownRequested() {
        return shutdown;
    }

    @Override
    public void exit() {
        documents.close();
        onExit.run();
    }

    @Override
    public TextDocumentService getTextDocumentService() {
        return documents;
    }

    @Override
    public WorkspaceService getWorkspaceService() {
        return new WorkspaceService() {
            @Override
            public void didChangeConfiguration(DidChangeConfigurationParams params) {
                // No settings yet: the editor's settings (the command's path) are the extension's.
            }

            @Override
            public void didChangeWatchedFiles(DidChangeWatchedFilesParams params) {
                params.getChanges().forEach(change -> documents.fileChanged(change.getUri()));
            }
        };
    }
}
