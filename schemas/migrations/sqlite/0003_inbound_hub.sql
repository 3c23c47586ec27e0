-- Bubblegate store, version 3, for SQLite: the hand-off of received
-- messages to the encrypted network's hub, made durable.
--
-- Kept equivalent to ../postgres/0003_inbound_hub.sql. Times are milliseconds
-- since the Unix epoch (UTC).
--
-- A received message is stored with hub_done_at NULL: not handed off yet.
-- It is set when the hub has handled the message (a STOP's code queued
-- first; owned-SIM copies queued as envelopes in the same transaction as
-- the mark), or by a node that runs without a hub, which has nobody to hand
-- it to. At start the daemon hands the hub every message of its modems
-- still NULL, oldest first: a crash between the inbox's commit and the
-- hub's loses nothing.

ALTER TABLE inbound_messages ADD COLUMN hub_done_at INTEGER;

-- Messages stored before this version were handed off (or not) by the old
-- code: they count as done, so a hub never answers an old STOP or forwards
-- an old SMS.
UPDATE inbound_messages SET hub_done_at = stored_at;

-- The pending messages, per modem, oldest first.
CREATE INDEX inbound_messages_hub_pending ON inbound_messages (modem_id, id)
    WHERE hub_done_at IS NULL;
