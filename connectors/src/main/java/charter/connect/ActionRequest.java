package charter.connect;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One planned action a connector is asked to carry out.
 *
 * @param tenant   whose action it is; connectors use it only for logging and never across tenants
 * @param actionId the action's stable id (rule + events + index): the idempotency key every connector carries to the tool
 * @param tool     the catalog's tool name, such as {@code slack.post}
 * @param args     the arguments the Program planned, already typed and checked against the catalog
 * @param attempt  1 for the first attempt; a connector may use it to decide whether to look for an earlier result first
 */
public record ActionRequest(String tenant, String actionId, String tool, Map<String, Object> args, int attempt) {
    public ActionRequest {
        args = Collections.unmodifiableMap(new LinkedHashMap<>(args));
    }
}
