package charter.engine.search;

/** A query that cannot be run, said in words a user can act on (an HTTP 400, a CLI usage error). */
public final class BadSearchQuery extends RuntimeException {
    private final String code;

    public BadSearchQuery(String code, String message) {
        super(message);
        this.code = code;
    }

    public String code() {
        return code;
    }
}
