package charter.engine.ingest;

import charter.engine.event.CanonicalEvent;
import java.time.Instant;
import java.util.List;

/**
 * What one delivery says, in Charter's terms: the canonical event, the entities
 * it mentions with the attribute values it claims, and the relations it asserts.
 * Produced by a source's normaliser; consumed by the entity graph and the store.
 *
 * @param deliveryId the source's delivery id (X-GitHub-Delivery, Linear-Delivery, Request-ID, Vercel's envelope id)
 * @param warnings   e.g. an event type no normaliser knows, kept as a generic event
 */
public record Normalised(String deliveryId, CanonicalEvent event, List<Mention> mentions, List<Relation> relations,
                         List<String> warnings) {
    /** At most this many entities per event, whatever the payload holds. */
    public static final int MAX_ENTITIES = 50;

    public Normalised {
        mentions = List.copyOf(mentions);
        relations = List.copyOf(relations);
        warnings = List.copyOf(warnings);
    }

    /** An entity the event mentions, and the attribute values this event claims for it (may be empty). */
    public record Mention(String type, String key, java.util.Map<String, Object> claims) {
        public Mention {
            claims = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(claims));
        }
    }

    /**
     * `from --kind--> to`, e.g. deployment --deploys--> commit, pull_request --fixes--> linear_issue.
     * Kinds: deploys, resolves, same_commit, fixes, references, tracked_in, triggers, authored_by, same_person (added by {@link PersonIdentity}),
     * assigned_to, belongs_to, part_of.
     */
    public record Relation(String fromType, String fromKey, String kind, String toType, String toKey) {}

    /** One attribute claim as the graph stores it: who said what, when, in which event. */
    public record Claim(String entityType, String entityKey, String attribute, Object value, String source,
                        Instant time, String eventId) {}
}
