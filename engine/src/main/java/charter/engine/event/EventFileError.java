package charter.engine.event;

/** A problem in an event file: file (display name), 1-based line, 1-based column (best effort). */
public record EventFileError(String file, int line, int column, String message) {
    @Override
    public String toString() {
        return file + ":" + line + ":" + column + ": " + message;
    }
}
