-- A SQLite store written by Charter before its migrations moved to Flyway (schema_version 3):
-- made with that code (two tenants, four deliveries, claims, a consumer position), then dumped
-- with the sqlite3 shell's .dump. StoreUpgradeTest restores it and opens it with today's code.
PRAGMA foreign_keys=OFF;
BEGIN TRANSACTION;
CREATE TABLE schema_version (version INTEGER NOT NULL PRIMARY KEY, name TEXT NOT NULL, applied_us BIGINT NOT NULL);
INSERT INTO schema_version VALUES(1,'init',1796498284440256);
INSERT INTO schema_version VALUES(2,'outcomes',1796498284477789);
INSERT INTO schema_version VALUES(3,'claims_by_time',1796498284487468);
CREATE TABLE tenants (
    tenant      TEXT   NOT NULL,
    next_seq    BIGINT NOT NULL,
    PRIMARY KEY (tenant)
) WITHOUT ROWID;
INSERT INTO tenants VALUES('acme',4);
INSERT INTO tenants VALUES('globex',2);
CREATE TABLE deliveries (
    tenant        TEXT     NOT NULL,
    source        TEXT     NOT NULL,
    delivery_id   TEXT     NOT NULL,
    headers       TEXT NOT NULL,
    body_encoding TEXT     NOT NULL,
    body          BLOB NOT NULL,
    received_us BIGINT   NOT NULL,
    PRIMARY KEY (tenant, source, delivery_id)
);
INSERT INTO deliveries VALUES('acme','github','d-1','{"content-type":"application/json","x-delivery-id":"d-1"}','identity',X'7b226e223a317d',1772438461123456);
INSERT INTO deliveries VALUES('acme','github','d-2','{"content-type":"application/json","x-delivery-id":"d-2"}','identity',X'7b226e223a327d',1772438521123456);
INSERT INTO deliveries VALUES('acme','github','d-3','{"content-type":"application/json","x-delivery-id":"d-3"}','identity',X'7b226e223a337d',1772438581123456);
INSERT INTO deliveries VALUES('globex','vercel','v-1','{"content-type":"application/json","x-delivery-id":"v-1"}','identity',X'7b2264656c6976657279223a22762d31222c2274797065223a226465706c6f796d656e742e6572726f72227d',1772438941123456);
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
    data            TEXT NOT NULL,
    entities        TEXT NOT NULL,
    warnings        TEXT NOT NULL,
    PRIMARY KEY (tenant, seq),
    UNIQUE (tenant, delivery_source, delivery_id),
    FOREIGN KEY (tenant, delivery_source, delivery_id) REFERENCES deliveries (tenant, source, delivery_id)
);
INSERT INTO events VALUES('acme',1,'github','d-1','github:d-1','github','push',1772438460123456,NULL,'{"ref":"refs/heads/main","commits":1.0}','[{"type":"repository","key":"acme/api"},{"type":"commit","key":"sha1"}]','[]');
INSERT INTO events VALUES('acme',2,'github','d-2','github:d-2','github','push',1772438520123456,NULL,'{"ref":"refs/heads/main","commits":2.0}','[{"type":"repository","key":"acme/api"},{"type":"commit","key":"sha2"}]','[]');
INSERT INTO events VALUES('acme',3,'github','d-3','github:d-3','github','push',1772438580123456,NULL,'{"ref":"refs/heads/main","commits":3.0}','[{"type":"repository","key":"acme/api"},{"type":"commit","key":"sha3"}]','[]');
INSERT INTO events VALUES('globex',1,'vercel','v-1','vercel:v-1','vercel','deployment.error',1772438940123456,NULL,'{}','[]','[]');
CREATE TABLE entities (
    tenant        TEXT   NOT NULL,
    type          TEXT   NOT NULL,
    key           TEXT   NOT NULL,
    first_seen_us BIGINT NOT NULL,
    last_seen_us  BIGINT NOT NULL,
    occurrences   BIGINT NOT NULL,
    PRIMARY KEY (tenant, type, key)
) WITHOUT ROWID;
INSERT INTO entities VALUES('acme','commit','sha1',1772438460123456,1772438460123456,1);
INSERT INTO entities VALUES('acme','commit','sha2',1772438520123456,1772438520123456,1);
INSERT INTO entities VALUES('acme','commit','sha3',1772438580123456,1772438580123456,1);
INSERT INTO entities VALUES('acme','repository','acme/api',1772438460123456,1772438580123456,3);
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
) WITHOUT ROWID;
INSERT INTO relations VALUES('acme','commit','sha1','part_of','repository','acme/api',1);
INSERT INTO relations VALUES('acme','commit','sha2','part_of','repository','acme/api',2);
INSERT INTO relations VALUES('acme','commit','sha3','part_of','repository','acme/api',3);
CREATE TABLE outputs (
    tenant          TEXT     NOT NULL,
    output_id       TEXT     NOT NULL,
    seq             BIGINT   NOT NULL,
    kind            TEXT     NOT NULL,
    time_us         BIGINT   NOT NULL,
    origin          TEXT     NOT NULL,
    program_version TEXT     NOT NULL,
    event_seq       BIGINT   NOT NULL,
    body            TEXT NOT NULL,
    PRIMARY KEY (tenant, output_id)
);
CREATE TABLE decisions (
    tenant          TEXT     NOT NULL,
    seq             BIGINT   NOT NULL,
    intent_id       TEXT     NOT NULL,
    intent          TEXT     NOT NULL,
    actor           TEXT     NOT NULL,
    verdict         TEXT     NOT NULL,
    overrides_seq   BIGINT   NOT NULL,
    recorded_us     BIGINT   NOT NULL,
    program_version TEXT     NOT NULL,
    request         TEXT NOT NULL,
    decision        TEXT NOT NULL,
    PRIMARY KEY (tenant, seq)
);
CREATE TABLE consumers (
    tenant        TEXT   NOT NULL,
    consumer      TEXT   NOT NULL,
    processed_seq BIGINT NOT NULL,
    updated_us    BIGINT NOT NULL,
    PRIMARY KEY (tenant, consumer)
) WITHOUT ROWID;
INSERT INTO consumers VALUES('acme','engine',2,1796498285920761);
CREATE TABLE IF NOT EXISTS "claims" (
    tenant      TEXT     NOT NULL,
    entity_type TEXT     NOT NULL,
    entity_key  TEXT     NOT NULL,
    attribute   TEXT     NOT NULL,
    time_us     BIGINT   NOT NULL,
    seq         BIGINT   NOT NULL,
    value       TEXT NOT NULL,
    source      TEXT     NOT NULL,
    event_id    TEXT     NOT NULL,
    PRIMARY KEY (tenant, entity_type, entity_key, attribute, time_us, seq),
    FOREIGN KEY (tenant, entity_type, entity_key) REFERENCES entities (tenant, type, key)
) WITHOUT ROWID;
INSERT INTO claims VALUES('acme','commit','sha1','message',1772438460123456,1,'"fix 1"','github','github:d-1');
INSERT INTO claims VALUES('acme','commit','sha2','message',1772438520123456,2,'"fix 2"','github','github:d-2');
INSERT INTO claims VALUES('acme','commit','sha3','message',1772438580123456,3,'"fix 3"','github','github:d-3');
INSERT INTO claims VALUES('acme','repository','acme/api','default_branch',1772438460123456,1,'"main"','github','github:d-1');
INSERT INTO claims VALUES('acme','repository','acme/api','default_branch',1772438580123456,3,'"trunk"','github','github:d-3');
CREATE INDEX events_by_type ON events (tenant, type, seq);
CREATE INDEX events_by_time ON events (tenant, time_us);
CREATE INDEX entities_by_key ON entities (tenant, key);
CREATE INDEX relations_by_to ON relations (tenant, to_type, to_key);
CREATE UNIQUE INDEX outputs_by_seq ON outputs (tenant, seq);
CREATE INDEX outputs_by_kind ON outputs (tenant, kind, seq);
CREATE INDEX decisions_by_intent ON decisions (tenant, intent_id, seq);
COMMIT;
