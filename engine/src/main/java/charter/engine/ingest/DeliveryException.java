package charter.engine.ingest;

/**
 * A delivery refused before it became an event: the body is not acceptable input. {@link #code()}
 * is stable and machine-readable; the message says what was wrong and where.
 */
public final class DeliveryException extends Exception {

    /** Stable error codes. */
    public static final String MALFORMED_JSON = "malformed_json";
    public static final String TOO_LARGE = "too_large";
    public static final String TOO_DEEP = "too_deep";
    public static final String NOT_UTF8 = "not_utf8";
    public static final String WRONG_TYPE = "wrong_type";
    public static final String MISSING_HEADER = "missing_header";
    public static final String MISSING_FIELD = "missing_field";
    public static final String UNKNOWN_SOURCE = "unknown_source";
    /** A time outside the range Charter accepts (see {@link charter.engine.event.EventTimes}). */
    public static final String TIME_OUT_OF_RANGE = "time_out_of_range";
    /** A JSON number no double holds (1e999): it would be stored as a non-number and break replay. */
    public static final String NUMBER_OUT_OF_RANGE = "number_out_of_range";

    private final String code;

    public DeliveryException(String code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    public DeliveryException(String code, String message, Throwable cause) {
        super(message, cause, false, false);
        this.code = code;
    }

    public String code() {
        return code;
    }

    @Override
    public String toString() {
        return code + ": " + getMessage();
    }
}
