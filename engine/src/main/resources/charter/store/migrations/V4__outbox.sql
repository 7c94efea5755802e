-- Charter store, schema version 4: the outbox, where planned actions are carried out.
-- A row is written for every planned action the live server records, in the same
-- transaction as the output that planned it; the dispatcher takes due rows (leasing
-- them while it sends), and every attempt leaves a row of its own.

-- One row per planned action. state: planned, awaiting_approval, sending, done,
-- retrying, failed, cancelled, recorded (a tool the Program only records).
-- seq is the output's seq (the order actions were planned). attempts counts every
-- attempt ever made; retry_base is attempts when the action was last retried by
-- hand, so the attempt budget starts again. unknown = 1 when the last attempt's
-- outcome is unknown (a timeout after sending, a lease that ran out): the next
-- attempt looks for the result first.
CREATE TABLE outbox (
    tenant          TEXT    NOT NULL,
    action_id       TEXT    NOT NULL,
    seq             BIGINT  NOT NULL,
    tool            TEXT    NOT NULL,
    rule            TEXT    NOT NULL,
    state           TEXT    NOT NULL,
    attempts        INTEGER NOT NULL,
    retry_base      INTEGER NOT NULL,
    unknown         INTEGER NOT NULL,
    next_attempt_us BIGINT  NOT NULL,
    lease_until_us  BIGINT  NOT NULL,
    last_error      TEXT    NOT NULL,
    external_id     TEXT    NOT NULL,
    url             TEXT    NOT NULL,
    approvers       TEXT    NOT NULL,
    decided_by      TEXT    NOT NULL,
    decision_reason TEXT    NOT NULL,
    decided_us      BIGINT  NOT NULL,
    created_us      BIGINT  NOT NULL,
    updated_us      BIGINT  NOT NULL,
    PRIMARY KEY (tenant, action_id)
);
CREATE INDEX outbox_due ON outbox (state, next_attempt_us);
CREATE INDEX outbox_by_seq ON outbox (tenant, seq);

-- Every attempt: the request as sent (secrets redacted), what came back, how long it took.
-- outcome: done, retry, failed, unknown (or refused: the dispatcher did not send).
CREATE TABLE outbox_attempts (
    tenant      TEXT     NOT NULL,
    action_id   TEXT     NOT NULL,
    attempt     INTEGER  NOT NULL,
    started_us  BIGINT   NOT NULL,
    duration_us BIGINT   NOT NULL,
    outcome     TEXT     NOT NULL,
    status      INTEGER  NOT NULL,
    detail      TEXT     NOT NULL,
    external_id TEXT     NOT NULL,
    url         TEXT     NOT NULL,
    request     {{JSON}} NOT NULL,
    PRIMARY KEY (tenant, action_id, attempt)
);

-- The kill switch: a row pauses every action of a tenant (tool = '*') or of one of its tools.
CREATE TABLE outbox_pauses (
    tenant    TEXT   NOT NULL,
    tool      TEXT   NOT NULL,
    actor     TEXT   NOT NULL,
    reason    TEXT   NOT NULL,
    paused_us BIGINT NOT NULL,
    PRIMARY KEY (tenant, tool)
);
