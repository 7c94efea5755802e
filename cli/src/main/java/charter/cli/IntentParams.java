package charter.cli;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Turns {@code --param k=v} strings into the JSON params of an intent, each typed by the
 * intent's declaration: a number, true/false, a list as comma-separated values, a duration or a
 * time checked for their form. A parameter the declaration does not name (or an intent that does
 * not exist) is passed on as text, so the intent reader reports it with its did-you-mean.
 */
final class IntentParams {
    private static final Pattern DURATION = Pattern.compile("\\d+(ms|s|m|h|d|w)");

    private IntentParams() {}

    /**
     * @param declared the intent's parameter types by name, or null when unknown (then every value is text)
     */
    static ObjectNode typed(String intent, List<String> raw, Map<String, String> declared) {
        ObjectNode params = JsonNodeFactory.instance.objectNode();
        for (String kv : raw) {
            int eq = kv.indexOf('=');
            if (eq <= 0) throw new UserError("--param " + kv + ": expected NAME=VALUE, e.g. --param project=api");
            String name = kv.substring(0, eq).strip();
            String value = kv.substring(eq + 1);
            if (params.has(name)) throw new UserError("--param " + name + " is given twice");
            String type = declared == null ? null : declared.get(name);
            if (type == null) {
                params.put(name, value);
                continue;
            }
            String where = "--param " + name + "=" + value + ": parameter `" + name + "` of intent `" + intent + "` is a " + type;
            switch (type) {
                case "number" -> {
                    try {
                        params.put(name, new BigDecimal(value.strip()));
                    } catch (NumberFormatException e) {
                        throw new UserError(where + ", not a number");
                    }
                }
                case "bool" -> {
                    String v = value.strip();
                    if (!v.equals("true") && !v.equals("false")) throw new UserError(where + ": give true or false");
                    params.put(name, Boolean.parseBoolean(v));
                }
                case "list" -> {
                    var list = params.putArray(name);
                    for (String item : value.split(",", -1)) {
                        if (!item.isBlank()) list.add(item.strip());
                    }
                }
                case "duration" -> {
                    if (!DURATION.matcher(value.strip()).matches()) throw new UserError(where + ": give a duration such as 30m, 2h or 1d");
                    params.put(name, value.strip());
                }
                case "time" -> {
                    try {
                        Instant.parse(value.strip());
                    } catch (DateTimeParseException e) {
                        throw new UserError(where + ": give an ISO-8601 instant such as 2026-03-06T16:00:00Z");
                    }
                    params.put(name, value.strip());
                }
                default -> params.put(name, value);
            }
        }
        return params;
    }
}
