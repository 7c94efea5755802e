package charter.lsp;

import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.eclipse.lsp4j.launch.LSPLauncher;
import org.eclipse.lsp4j.services.LanguageClient;

/** Runs the language server over a pair of streams (stdin and stdout for `charter lsp`) until the client closes them or says `exit`. */
public final class LanguageServerLauncher {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(LanguageServerLauncher.class);

    private LanguageServerLauncher() {}

    /**
     * Serves one client and returns the exit code the protocol asks for: 0 when `shutdown` came
     * before the end, 1 otherwise.
     */
    public static int serve(InputStream in, OutputStream out, String version) throws InterruptedException {
        Thread main = Thread.currentThread();
        CharterLanguageServer server = new CharterLanguageServer(version, CharterLanguageServer.DEFAULT_DEBOUNCE_MILLIS, main::interrupt);
        var launcher = LSPLauncher.createServerLauncher(server, in, out);
        server.connect(launcher.getRemoteProxy());
        Future<Void> listening = launcher.startListening();
        try {
            listening.get();
        } catch (InterruptedException exit) {
            // `exit` interrupts this thread: the client is done with us.
            listening.cancel(true);
        } catch (ExecutionException e) {
            // The stream broke: the editor went away without `exit`.
            log.warn("the connection to the editor broke: {}", e.getCause() == null ? e.toString() : e.getCause().toString());
        }
        return server.shutdownRequested() ? 0 : 1;
    }

}
