-- Bubblegate store, version 1, for SQLite.
--
-- Kept equivalent to ../postgres/0001_init.sql: the same tables, columns
-- and constraints. gateway/store/tests/it/schema.rs compares the two
-- migrated databases. Times are milliseconds since the Unix epoch (UTC).
-- State and status names are the lower-case names in gateway/store/src/model.rs.

-- Modems and SIMs ---------------------------------------------------------

CREATE TABLE modems (
    id            TEXT PRIMARY KEY,          -- stable id, e.g. the /dev/serial/by-id name
    profile       TEXT NOT NULL,             -- the modem profile it resolved to
    imei          TEXT,
    node          TEXT NOT NULL,             -- the gateway node whose port it is on
    first_seen_at INTEGER NOT NULL,
    last_seen_at  INTEGER NOT NULL
);

CREATE TABLE sims (
    iccid         TEXT PRIMARY KEY,
    imsi          TEXT,
    msisdn        TEXT,                      -- the SIM's own number, when known
    modem_id      TEXT REFERENCES modems (id) ON DELETE SET NULL,
    first_seen_at INTEGER NOT NULL,
    last_seen_at  INTEGER NOT NULL
);

-- Quota counters, in billed segments, one row per SIM and day (yyyymmdd in
-- the SIM's billing time zone). A month is the sum of its days.
CREATE TABLE sim_usage (
    iccid    TEXT NOT NULL REFERENCES sims (iccid) ON DELETE CASCADE,
    day      INTEGER NOT NULL,
    segments INTEGER NOT NULL,
    PRIMARY KEY (iccid, day)
);

-- Outbox ------------------------------------------------------------------

CREATE TABLE outbound_messages (
    id              TEXT PRIMARY KEY,        -- UUIDv7
    destination     TEXT NOT NULL,
    body            TEXT NOT NULL,
    coding          TEXT NOT NULL,           -- gsm7 | ucs2 | 8bit
    priority        INTEGER NOT NULL,        -- higher first
    delivery_report BOOLEAN NOT NULL,
    status          TEXT NOT NULL,           -- rolled up from the parts
    part_count      INTEGER NOT NULL,
    sim_iccid       TEXT REFERENCES sims (iccid) ON DELETE SET NULL, -- every part leaves through this SIM
    created_at      INTEGER NOT NULL,
    send_after      INTEGER,
    expires_at      INTEGER,
    updated_at      INTEGER NOT NULL
);

CREATE INDEX outbound_messages_status ON outbound_messages (status, created_at);

CREATE TABLE outbound_parts (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    message_id       TEXT NOT NULL REFERENCES outbound_messages (id) ON DELETE CASCADE,
    seq              INTEGER NOT NULL,       -- 1-based
    total            INTEGER NOT NULL,
    pdu              TEXT NOT NULL,          -- the SMS-SUBMIT TPDU, hex
    tpdu_length      INTEGER NOT NULL,       -- octets, for AT+CMGS=<length>
    state            TEXT NOT NULL,          -- queued | submitting | submitted | delivered | failed | expired
    attempts         INTEGER NOT NULL,       -- claims so far; also the claim's fencing token
    next_attempt_at  INTEGER,                -- not claimable before this (retry backoff)
    claimed_by       TEXT,                   -- the node holding it while submitting
    claimed_at       INTEGER,
    modem_id         TEXT REFERENCES modems (id) ON DELETE SET NULL,
    sim_iccid        TEXT REFERENCES sims (iccid) ON DELETE SET NULL,
    mr               INTEGER,                -- TP-MR from +CMGS
    report_status    INTEGER,                -- TP-ST of the last status report
    last_error_code  TEXT,
    last_error_class TEXT,                   -- temporary | permanent | unknown
    submitted_at     INTEGER,
    delivered_at     INTEGER,
    updated_at       INTEGER NOT NULL,
    UNIQUE (message_id, seq)
);

CREATE INDEX outbound_parts_queued ON outbound_parts (next_attempt_at) WHERE state = 'queued';
CREATE INDEX outbound_parts_submitting ON outbound_parts (claimed_by, claimed_at) WHERE state = 'submitting';
CREATE INDEX outbound_parts_reports ON outbound_parts (sim_iccid, mr, submitted_at) WHERE state = 'submitted';

-- Every state change of a part (part_seq set) or of a message's rolled-up
-- status (part_seq NULL). from_state is NULL for the first row.
CREATE TABLE outbound_history (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    message_id TEXT NOT NULL REFERENCES outbound_messages (id) ON DELETE CASCADE,
    part_seq   INTEGER,
    from_state TEXT,
    to_state   TEXT NOT NULL,
    at         INTEGER NOT NULL,
    detail     TEXT                          -- error codes, modem, TP-MR; never a number or body
);

CREATE INDEX outbound_history_message ON outbound_history (message_id, id);

CREATE TABLE idempotency_keys (
    key         TEXT PRIMARY KEY,
    fingerprint TEXT NOT NULL,               -- SHA-256 of the request, to refuse a reused key
    message_id  TEXT NOT NULL REFERENCES outbound_messages (id) ON DELETE CASCADE,
    created_at  INTEGER NOT NULL
);

-- Inbox -------------------------------------------------------------------

CREATE TABLE inbound_messages (
    id          TEXT PRIMARY KEY,            -- UUIDv7, the inbox cursor
    receiver    TEXT NOT NULL,               -- ICCID, or the modem id when the SIM is unknown
    modem_id    TEXT NOT NULL REFERENCES modems (id),
    sim_iccid   TEXT REFERENCES sims (iccid) ON DELETE SET NULL,
    sender      TEXT NOT NULL,
    concat_ref  INTEGER,                     -- NULL for a message without a concat header
    total       INTEGER NOT NULL,
    body_text   TEXT,                        -- the body when every part was text
    body_data   BLOB,                        -- else the joined bytes
    complete    BOOLEAN NOT NULL,
    missing     TEXT NOT NULL,               -- missing part numbers, comma-separated
    scts        INTEGER NOT NULL,
    received_at INTEGER NOT NULL,
    stored_at   INTEGER NOT NULL,
    CHECK ((body_text IS NULL) <> (body_data IS NULL))
);

-- A concatenated message still missing parts. It survives a restart; the
-- row goes when its message is released, complete or by the timeout.
CREATE TABLE reassembly_buffers (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    receiver      TEXT NOT NULL,
    sender        TEXT NOT NULL,
    concat_ref    INTEGER NOT NULL,
    total         INTEGER NOT NULL,
    first_seen_at INTEGER NOT NULL,
    UNIQUE (receiver, sender, concat_ref, total)
);

CREATE INDEX reassembly_buffers_first_seen ON reassembly_buffers (first_seen_at);

CREATE TABLE inbound_parts (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    sender      TEXT NOT NULL,
    scts        INTEGER NOT NULL,
    concat_ref  INTEGER NOT NULL,            -- 0 without a concat header
    concat_seq  INTEGER NOT NULL,            -- 1 without a concat header
    total       INTEGER NOT NULL,            -- 1 without a concat header
    pdu_sha256  TEXT NOT NULL,
    pdu         TEXT NOT NULL,               -- the TPDU as received, hex
    body_text   TEXT,
    body_data   BLOB,
    receiver    TEXT NOT NULL,
    modem_id    TEXT NOT NULL REFERENCES modems (id),
    sim_iccid   TEXT REFERENCES sims (iccid) ON DELETE SET NULL,
    received_at INTEGER NOT NULL,
    buffer_id   INTEGER REFERENCES reassembly_buffers (id) ON DELETE SET NULL,
    message_id  TEXT REFERENCES inbound_messages (id) ON DELETE CASCADE,
    CHECK ((body_text IS NULL) <> (body_data IS NULL)),
    -- The dedup key: a part read twice (from SIM storage after a restart,
    -- or retransmitted) is stored once.
    UNIQUE (sender, scts, concat_ref, concat_seq, pdu_sha256)
);

CREATE INDEX inbound_parts_buffer ON inbound_parts (buffer_id);
CREATE INDEX inbound_parts_message ON inbound_parts (message_id);
