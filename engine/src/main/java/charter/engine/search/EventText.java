package charter.engine.search;

import charter.engine.event.CanonicalEvent;
import charter.engine.event.EntityRef;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What of an event is searchable and what it cites: the words of every text field (titles,
 * messages, commit messages, issue and alert text, people, branch and project names) and the keys
 * of the entities it mentions; and the link to the thing in its tool.
 */
final class EventText {
    /** Fields that are links or opaque ids, not words anyone searches for by meaning. */
    private static final java.util.Set<String> NOT_WORDS = java.util.Set.of("url", "inspector_url", "target_url",
            "environment_url", "avatar_url");
    /** Where each source puts the page of its thing, best first. */
    private static final List<String> LINK_FIELDS = List.of("inspector_url", "url", "target_url", "environment_url");

    private EventText() {}

    /** The event's words, one field per line: `title: ReferenceError: x is not defined`. */
    static String of(CanonicalEvent e) {
        StringBuilder out = new StringBuilder();
        for (Map.Entry<String, Object> field : e.data().entrySet()) {
            if (NOT_WORDS.contains(field.getKey())) continue;
            List<String> values = new ArrayList<>();
            if (field.getValue() instanceof String s) values.add(s);
            else if (field.getValue() instanceof List<?> list) list.forEach(v -> { if (v instanceof String s) values.add(s); });
            values.removeIf(String::isBlank);
            if (values.isEmpty()) continue;
            if (!out.isEmpty()) out.append('\n');
            out.append(field.getKey()).append(": ").append(String.join(", ", values));
        }
        for (EntityRef ref : e.entities()) {
            if (!out.isEmpty()) out.append('\n');
            out.append(ref.type()).append(": ").append(ref.key());
        }
        return out.toString();
    }

    /** The web page of what the event is about, from its own fields (Vercel's dashboard before its deployment URL); null when it names none. */
    static String link(CanonicalEvent e) {
        for (String field : LINK_FIELDS) {
            if (e.data().get(field) instanceof String s && (s.startsWith("https://") || s.startsWith("http://"))) return s;
        }
        return null;
    }
}
