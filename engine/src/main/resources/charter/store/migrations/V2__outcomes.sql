-- Charter store, schema version 2: what the engine made of the log, per tenant.
-- Written by `charter serve`, which consumes each tenant's event log like a
-- consumer group would a topic: the outputs of a batch of events and the
-- consumer's cursor commit in one transaction, and every output carries an
-- idempotency key, so a batch processed again after a crash records nothing twice.

-- Planned actions, state violations and rule errors. output_id is the idempotency
-- key (an action's id; for a violation or an error, one derived from what it is
-- about); seq orders outputs as they were recorded (gaps where a replay was a no-op).
CREATE TABLE outputs (
    tenant          TEXT     NOT NULL,
    output_id       TEXT     NOT NULL,
    seq             BIGINT   NOT NULL,
    kind            TEXT     NOT NULL,
    time_us         BIGINT   NOT NULL,
    origin          TEXT     NOT NULL,
    program_version TEXT     NOT NULL,
    event_seq       BIGINT   NOT NULL,
    body            {{JSON}} NOT NULL,
    PRIMARY KEY (tenant, output_id)
);
CREATE UNIQUE INDEX outputs_by_seq ON outputs (tenant, seq);
CREATE INDEX outputs_by_kind ON outputs (tenant, kind, seq);

-- Decisions on intents, the audit log: one row per decision and per override
-- (overrides_seq names the decision an override overrode, else 0).
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
    request         {{JSON}} NOT NULL,
    decision        {{JSON}} NOT NULL,
    PRIMARY KEY (tenant, seq)
);
CREATE INDEX decisions_by_intent ON decisions (tenant, intent_id, seq);

-- How far each consumer of a tenant's log has processed it (the last event seq
-- whose outputs are recorded).
CREATE TABLE consumers (
    tenant        TEXT   NOT NULL,
    consumer      TEXT   NOT NULL,
    processed_seq BIGINT NOT NULL,
    updated_us    BIGINT NOT NULL,
    PRIMARY KEY (tenant, consumer)
){{WITHOUT_ROWID}};
