package charter.server;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The client closed its connection before the answer was written. Nothing failed on the server's side and nobody is
 * left to answer, so this is not an internal error: it is logged at debug level and the request ends there.
 */
final class ClientWentAway extends UncheckedIOException {
    ClientWentAway(IOException cause) {
        super("the client went away before the response was written", cause);
    }
}
