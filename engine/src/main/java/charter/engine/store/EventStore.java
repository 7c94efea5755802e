package charter.engine.store;

import charter.engine.event.CanonicalEvent;
import charter.engine.ingest.Normalised;
import charter.engine.ingest.RawDelivery;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The durable event log and entity graph of every tenant. Every method takes the
 * tenant and every query is scoped to it. The embedded implementation is SQLite;
 * the same JDBC code runs on PostgreSQL; a Kafka-backed log can implement the
 * append side later.
 */
public interface EventStore extends AutoCloseable {

    /** One accepted delivery and what it says, written together. */
    /**
     * One delivery to append. {@code prepared} is what this store made of it ahead of the append
     * ({@link #prepare}), or null.
     */
    record Ingested(RawDelivery raw, Normalised normalised, Prepared prepared) {
        public Ingested(RawDelivery raw, Normalised normalised) {
            this(raw, normalised, null);
        }
    }

    /** A delivery in the form a store writes it (encoded body, JSON text); only the store that made it reads it. */
    interface Prepared {}

    /**
     * Does the part of an append that needs no transaction (for the SQL stores: deflating the
     * body and writing the event's JSON), so that many threads can do it before their deliveries
     * reach the one writer of the log, which then only writes. Thread-safe. The default leaves
     * everything to {@link #append}; a delivery that cannot be prepared is left as it is, and its
     * append says why.
     */
    default Ingested prepare(Ingested in) {
        return in;
    }

    /**
     * Appends deliveries in one transaction (batched for throughput). A delivery whose
     * (tenant, source, delivery id) is already stored is skipped: ingest is idempotent.
     *
     * @return the delivery ids that were new, in input order
     */
    List<String> append(String tenant, List<Ingested> batch);

    /** Canonical events in log order, filtered; `limit` caps the page. */
    List<StoredEvent> events(String tenant, EventQuery query);

    /**
     * Where events are in the log, without reading them: the sequence and id of each event after
     * {@code afterSequence}, in log order, at most {@code limit}. For a reader that has the
     * events at hand already (the server's consumer, from the append it just saw).
     */
    List<LogEntry> entries(String tenant, long afterSequence, int limit);

    /** An event's place in the log. */
    record LogEntry(long sequence, String eventId) {}

    /**
     * One event by its id. Ingested events are named {@code <source>:<delivery id>}, so this is a
     * lookup on the (tenant, source, delivery id) key.
     */
    Optional<StoredEvent> event(String tenant, String eventId);

    /** An entity with its claims (every value ever claimed, by whom, when) and its relations. */
    Optional<EntityView> entity(String tenant, String type, String key);

    /** Entities whose key matches, across types (for `charter graph <sha>`). */
    List<EntityView> findEntities(String tenant, String key);

    /**
     * One page of the tenant's entities in (type, key) order, filtered by type and key, after
     * the cursor of the query (the last entity of the previous page). For listing and search;
     * a page holds no claims or relations ({@link #entity} has them).
     */
    List<EntitySummary> entities(String tenant, EntityQuery query);

    /**
     * At most {@code limit} edges from and to an entity, in the order they were first asserted,
     * each with the id of the event that first asserted it. Bounded, for walking the graph
     * around an entity that has many edges (a repository with every commit).
     */
    List<Edge> relations(String tenant, String type, String key, int limit);

    /**
     * The events that assert something about an entity: every event that claimed one of its
     * attributes or first asserted one of its relations (either direction), in log order.
     */
    List<StoredEvent> citations(String tenant, String type, String key);

    /** The raw delivery exactly as received (headers and body bytes), if stored. */
    Optional<RawDelivery> delivery(String tenant, String source, String deliveryId);

    /** What the engine made of this store's logs: outputs, decisions, consumer positions (same tenants, same transaction rules). */
    OutcomeStore outcomes();

    /** The actions being carried out: the outbox the live server admits planned actions into. */
    Outbox outbox();

    /** Erases everything of one tenant: its log, graph and outcomes. */
    void deleteTenant(String tenant);

    @Override
    void close();

    /**
     * What is wrong with the store's files (a database file deleted or replaced while open, a
     * damaged write-ahead log, acknowledged events missing from the log), each said in a line;
     * empty when sound. A store with a fault refuses writes.
     */
    default List<Fault> faults() {
        return List.of();
    }

    /**
     * A fault of the store's files: {@code code} one of {@code file_deleted}, {@code file_replaced},
     * {@code not_writable}, {@code wal_damaged}, {@code acknowledged_missing}, {@code consumer_ahead};
     * {@code tenant} the one it concerns, or null for every tenant; {@code message} says where and
     * what to do (for the operator: it names files).
     */
    record Fault(String code, String tenant, String message) {}

    record EventQuery(Instant since, String type, String source, long afterSequence, int limit) {
        public static EventQuery all() {
            return new EventQuery(null, null, null, 0, Integer.MAX_VALUE);
        }
    }

    /** How {@link EntityQuery#key()} matches an entity's key. */
    enum KeyMatch {
        /** The whole key. */
        EXACT,
        /** The key starts with it (a short commit SHA). */
        PREFIX,
        /** The key holds it anywhere, ignoring ASCII case. */
        CONTAINS
    }

    /**
     * @param type      only this entity type, or null for all
     * @param key       only keys matching this (see {@code match}), or null for all
     * @param afterType with {@code afterKey}: the page starts after this entity (null: at the start)
     * @param limit     the most entities returned
     */
    record EntityQuery(String type, String key, KeyMatch match, String afterType, String afterKey, int limit) {
        public EntityQuery {
            if (match == null) match = KeyMatch.EXACT;
            if ((afterType == null) != (afterKey == null)) {
                throw new IllegalArgumentException("a cursor needs both its type and its key");
            }
        }

        public static EntityQuery all() {
            return new EntityQuery(null, null, KeyMatch.EXACT, null, null, Integer.MAX_VALUE);
        }
    }

    /** An entity without its claims and relations: what a listing shows. */
    record EntitySummary(String type, String key, Instant firstSeen, Instant lastSeen, long occurrences) {}

    /** One relation of an entity and the id of the event that first asserted it. */
    record Edge(Normalised.Relation relation, String eventId) {}

    record StoredEvent(long sequence, String deliveryId, CanonicalEvent event) {}

    /**
     * @param relations        edges from and to the entity
     * @param relationEventIds for each relation (same index), the id of the event that first asserted it
     */
    record EntityView(String type, String key, Instant firstSeen, Instant lastSeen, long occurrences,
                      List<Normalised.Claim> claims, List<Normalised.Relation> relations, List<String> relationEventIds) {
        public EntityView {
            claims = List.copyOf(claims);
            relations = List.copyOf(relations);
            relationEventIds = List.copyOf(relationEventIds);
            if (relationEventIds.size() != relations.size()) {
                throw new IllegalArgumentException("one event id per relation: " + relations.size() + " relations, "
                        + relationEventIds.size() + " event ids");
            }
        }
    }
}
