package charter.engine.store;

/**
 * A store failure with a message meant for the person running Charter: what went
 * wrong, with which store, and what to do. The batch or migration that hit it was
 * rolled back; nothing was half-written.
 */
public class StoreException extends RuntimeException {
    public StoreException(String message) {
        super(message);
    }

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
