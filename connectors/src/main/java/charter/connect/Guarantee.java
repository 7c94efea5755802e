package charter.connect;

/** How many times a tool sees an action, whatever fails in between. Documented per connector. */
public enum Guarantee {
    /** The tool deduplicates by a key the connector sends (PagerDuty dedup_key, an Idempotency-Key). */
    EXACTLY_ONCE,
    /** No tool-side key, but the connector marks what it creates and looks for the mark before trying again. */
    AT_LEAST_ONCE_DEDUPLICATED,
    /** Neither: after an unknown outcome the action fails rather than risk a second effect. */
    AT_MOST_ONCE
}
