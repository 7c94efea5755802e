package charter.connect.fake;

import java.util.Map;

/** A fake tool's answer. */
public record Reply(int status, Map<String, String> headers, String body) {
    public static Reply json(int status, String body) {
        return new Reply(status, Map.of("Content-Type", "application/json; charset=utf-8"), body);
    }
}
