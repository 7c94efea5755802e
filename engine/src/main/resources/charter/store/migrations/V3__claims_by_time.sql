-- Charter store, schema version 3: claims ordered by time within an attribute.
-- An append writes a claim only when it changes what the attribute's latest
-- claim says (another value, or another source); to compare, it reads the
-- latest claim of each attribute it is about to claim, and with time_us in the
-- key that is one index seek instead of a scan of the attribute's history.
-- The rows are copied as they are; nothing else changes.
CREATE TABLE claims_v3 (
    tenant      TEXT     NOT NULL,
    entity_type TEXT     NOT NULL,
    entity_key  TEXT     NOT NULL,
    attribute   TEXT     NOT NULL,
    time_us     BIGINT   NOT NULL,
    seq         BIGINT   NOT NULL,
    value       {{JSON}} NOT NULL,
    source      TEXT     NOT NULL,
    event_id    TEXT     NOT NULL,
    PRIMARY KEY (tenant, entity_type, entity_key, attribute, time_us, seq),
    FOREIGN KEY (tenant, entity_type, entity_key) REFERENCES entities (tenant, type, key)
){{WITHOUT_ROWID}};
INSERT INTO claims_v3 (tenant, entity_type, entity_key, attribute, time_us, seq, value, source, event_id)
    SELECT tenant, entity_type, entity_key, attribute, time_us, seq, value, source, event_id FROM claims;
DROP TABLE claims;
ALTER TABLE claims_v3 RENAME TO claims;
