-- Charter store, schema version 1. The same file runs on SQLite and PostgreSQL:
-- {{JSON}} and {{BLOB}} are replaced per dialect (SQLite: TEXT and BLOB;
-- PostgreSQL: json and bytea); {{WITHOUT_ROWID}} makes SQLite store a table in
-- its primary key's B-tree (nothing on PostgreSQL). Times are microseconds since
-- the epoch (UTC).
-- Every table is keyed by tenant first, and every query filters on it.

-- One row per tenant: the next sequence number of its event log. Appends lock
-- this row, so a tenant's log has one writer at a time and gap-free sequences.
CREATE TABLE tenants (
    tenant      TEXT   NOT NULL,
    next_seq    BIGINT NOT NULL,
    PRIMARY KEY (tenant)
){{WITHOUT_ROWID}};

-- The raw delivery exactly as received: immutable and append-only. The body is
-- stored as body_encoding says: 'identity' (the bytes) or 'deflate' (zlib, level 1,
-- for bodies that shrink); reading it back gives the received bytes exactly.
CREATE TABLE deliveries (
    tenant        TEXT     NOT NULL,
    source        TEXT     NOT NULL,
    delivery_id   TEXT     NOT NULL,
    headers       {{JSON}} NOT NULL,
    body_encoding TEXT     NOT NULL,
    body          {{BLOB}} NOT NULL,
    received_us BIGINT   NOT NULL,
    PRIMARY KEY (tenant, source, delivery_id)
);

-- The canonical event of each delivery, numbered in log order per tenant.
CREATE TABLE events (
    tenant          TEXT     NOT NULL,
    seq             BIGINT   NOT NULL,
    delivery_source TEXT     NOT NULL,
    delivery_id     TEXT     NOT NULL,
    id              TEXT     NOT NULL,
    source          TEXT     NOT NULL,
    type            TEXT     NOT NULL,
    time_us         BIGINT   NOT NULL,
    significance    INTEGER,
    data            {{JSON}} NOT NULL,
    entities        {{JSON}} NOT NULL,
    warnings        {{JSON}} NOT NULL,
    PRIMARY KEY (tenant, seq),
    UNIQUE (tenant, delivery_source, delivery_id),
    FOREIGN KEY (tenant, delivery_source, delivery_id) REFERENCES deliveries (tenant, source, delivery_id)
);
CREATE INDEX events_by_type ON events (tenant, type, seq);
CREATE INDEX events_by_time ON events (tenant, time_us);

-- The entity graph's nodes, upserted by (tenant, type, key); seen times are event times.
CREATE TABLE entities (
    tenant        TEXT   NOT NULL,
    type          TEXT   NOT NULL,
    key           TEXT   NOT NULL,
    first_seen_us BIGINT NOT NULL,
    last_seen_us  BIGINT NOT NULL,
    occurrences   BIGINT NOT NULL,
    PRIMARY KEY (tenant, type, key)
){{WITHOUT_ROWID}};
CREATE INDEX entities_by_key ON entities (tenant, key);

-- Edges, stored once; first_seq is the event that first asserted the edge.
-- (first_seq and claims.seq carry no foreign key to events: checking one on
-- deleteTenant would need another index on these, the largest tables.)
CREATE TABLE relations (
    tenant    TEXT   NOT NULL,
    from_type TEXT   NOT NULL,
    from_key  TEXT   NOT NULL,
    kind      TEXT   NOT NULL,
    to_type   TEXT   NOT NULL,
    to_key    TEXT   NOT NULL,
    first_seq BIGINT NOT NULL,
    PRIMARY KEY (tenant, from_type, from_key, kind, to_type, to_key),
    FOREIGN KEY (tenant, from_type, from_key) REFERENCES entities (tenant, type, key),
    FOREIGN KEY (tenant, to_type, to_key) REFERENCES entities (tenant, type, key)
){{WITHOUT_ROWID}};
CREATE INDEX relations_by_to ON relations (tenant, to_type, to_key);

-- Every value ever claimed for an attribute: who said it (source), when, in which event.
CREATE TABLE claims (
    tenant      TEXT     NOT NULL,
    entity_type TEXT     NOT NULL,
    entity_key  TEXT     NOT NULL,
    attribute   TEXT     NOT NULL,
    seq         BIGINT   NOT NULL,
    value       {{JSON}} NOT NULL,
    source      TEXT     NOT NULL,
    time_us     BIGINT   NOT NULL,
    event_id    TEXT     NOT NULL,
    PRIMARY KEY (tenant, entity_type, entity_key, attribute, seq),
    FOREIGN KEY (tenant, entity_type, entity_key) REFERENCES entities (tenant, type, key)
){{WITHOUT_ROWID}};
