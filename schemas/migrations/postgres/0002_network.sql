-- Bubblegate store, version 2, for PostgreSQL: the encrypted network's tables.
--
-- Kept equivalent to ../sqlite/0002_network.sql: the same tables, columns
-- and constraints. gateway/store/tests/it/schema.rs compares the two
-- migrated databases. Times are milliseconds since the Unix epoch (UTC).
--
-- Handles are E.164 numbers, normalised by the hub. Device, send and
-- envelope ids are UUIDv7 strings made by the hub, so they sort by time.
-- Keys, token hashes and envelope bodies are opaque bytes and text here.
-- The one plaintext these tables hold is an SMS fallback's text, which the
-- sender handed over for SMS; its row is deleted once the SMS is sent or
-- cancelled.

-- Handles and devices -----------------------------------------------------

CREATE TABLE net_handles (
    handle          TEXT PRIMARY KEY,        -- E.164
    registered_at   BIGINT  NOT NULL,        -- when its current (or last) registration began
    deregistered_at BIGINT                   -- set by deregistration, cleared by a new device
);

CREATE TABLE net_devices (
    id           TEXT PRIMARY KEY,           -- UUIDv7, chosen by the hub
    handle       TEXT NOT NULL REFERENCES net_handles (handle),
    name         TEXT NOT NULL,
    enc_kem      TEXT NOT NULL,              -- the KEM of enc_key, e.g. x-wing
    enc_key      BYTEA NOT NULL,             -- the public encryption key
    enc_key_id   BIGINT  NOT NULL,           -- the device's key counter, from 1
    sign_key     BYTEA NOT NULL,             -- the Ed25519 public key
    token_hash   BYTEA UNIQUE,               -- SHA-256 of the bearer token; NULL once revoked
    created_at   BIGINT  NOT NULL,
    last_seen_at BIGINT  NOT NULL,
    revoked_at   BIGINT,
    CHECK (revoked_at IS NOT NULL OR token_hash IS NOT NULL)
);

CREATE INDEX net_devices_handle ON net_devices (handle);

-- Verification codes, one per handle and purpose: a new request replaces
-- the old code.
CREATE TABLE net_codes (
    handle     TEXT NOT NULL,
    purpose    TEXT NOT NULL,                -- register | deregister
    salt       BYTEA NOT NULL,
    code_hash  BYTEA NOT NULL,               -- SHA-256(salt || code)
    expires_at BIGINT  NOT NULL,
    attempts   BIGINT  NOT NULL,             -- attempts so far, counted before each comparison
    created_at BIGINT  NOT NULL,
    PRIMARY KEY (handle, purpose),
    CHECK (purpose IN ('register', 'deregister'))
);

-- Daily budgets, e.g. of verification SMS: one row per budget and day
-- (yyyymmdd, in the time zone the hub chooses).
CREATE TABLE net_budget (
    name TEXT NOT NULL,
    day  BIGINT  NOT NULL,
    used BIGINT  NOT NULL,
    PRIMARY KEY (name, day)
);

-- Sends and envelopes -----------------------------------------------------

-- One row per accepted POST /v1/messages: the idempotency record. A repeat
-- of (sender_device, client_message_id) gets the stored answer.
CREATE TABLE net_sends (
    id                TEXT PRIMARY KEY,      -- UUIDv7, the message id
    sender_device     TEXT NOT NULL REFERENCES net_devices (id),
    client_message_id TEXT NOT NULL,
    request_hash      BYTEA NOT NULL,        -- the hub's fingerprint of the request
    answer            TEXT NOT NULL,         -- the JSON answer, returned to a repeat
    created_at        BIGINT  NOT NULL,
    UNIQUE (sender_device, client_message_id)
);

CREATE INDEX net_sends_created ON net_sends (created_at);

-- Queued envelopes, one per recipient device, deleted when acked or at
-- expires_at.
CREATE TABLE net_envelopes (
    id               TEXT PRIMARY KEY,       -- UUIDv7, so it sorts by time
    recipient_device TEXT NOT NULL REFERENCES net_devices (id),
    recipient_handle TEXT NOT NULL,
    send_id          TEXT REFERENCES net_sends (id), -- NULL for an envelope the hub made
    sender_device    TEXT REFERENCES net_devices (id), -- NULL for the hub
    body             TEXT NOT NULL,          -- the envelope's wire JSON: sealed, opaque here
    created_at       BIGINT  NOT NULL,
    expires_at       BIGINT  NOT NULL
);

CREATE INDEX net_envelopes_recipient ON net_envelopes (recipient_device, id);
CREATE INDEX net_envelopes_expires ON net_envelopes (expires_at);
CREATE INDEX net_envelopes_send ON net_envelopes (send_id, recipient_handle);

-- SMS fallback text kept for a blue recipient until a device of theirs
-- acks (row deleted) or due_at passes (sent as SMS, row deleted).
CREATE TABLE net_fallbacks (
    send_id          TEXT NOT NULL REFERENCES net_sends (id),
    recipient_handle TEXT NOT NULL,
    sender_device    TEXT NOT NULL REFERENCES net_devices (id),
    text             TEXT NOT NULL,          -- plaintext the sender agreed to send as SMS
    due_at           BIGINT  NOT NULL,
    PRIMARY KEY (send_id, recipient_handle)
);

CREATE INDEX net_fallbacks_due ON net_fallbacks (due_at);
CREATE INDEX net_fallbacks_recipient ON net_fallbacks (recipient_handle);

-- Block lists: blocker_handle gets nothing from blocked_handle.
CREATE TABLE net_blocks (
    blocker_handle TEXT NOT NULL,
    blocked_handle TEXT NOT NULL,
    created_at     BIGINT  NOT NULL,
    PRIMARY KEY (blocker_handle, blocked_handle)
);
