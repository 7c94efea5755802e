package charter.compiler.catalog;

/** A catalog resource is missing or malformed; the message names the file and the key. */
public final class CatalogException extends RuntimeException {
    private final String file;
    private final String key;

    public CatalogException(String file, String key, String message) {
        super(file + (key == null || key.isEmpty() ? "" : ": " + key) + ": " + message);
        this.file = file;
        this.key = key == null ? "" : key;
    }

    public CatalogException(String file, String key, String message, Throwable cause) {
        this(file, key, message);
        initCause(cause);
    }

    public String file() {
        return file;
    }

    public String key() {
        return key;
    }
}
