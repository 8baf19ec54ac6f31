-- Outbox v2. Kinds and statuses are validated in code (bot/outbox/kinds.py), not by CHECKs, so a
-- new kind or status never needs a table rebuild again; this one rebuild drops the old CHECKs.
-- lease_until: when a claim is presumed dead (its outcome is then looked up before re-sending),
-- fingerprint: what identifies the claimed post among the channel's recent messages.
CREATE TABLE deliveries_v2 (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    guild_id     INTEGER NOT NULL,
    session_id   INTEGER NOT NULL REFERENCES sessions (id),
    kind         TEXT NOT NULL,
    offset_s     INTEGER,
    due_at       TEXT NOT NULL,
    status       TEXT NOT NULL DEFAULT 'pending',
    channel_id   INTEGER NOT NULL,
    payload      TEXT,
    attempts     INTEGER NOT NULL DEFAULT 0,
    claimed_at   TEXT,
    lease_until  TEXT,
    fingerprint  TEXT,
    sent_at      TEXT,
    message_id   INTEGER,
    last_error   TEXT,
    created_at   TEXT NOT NULL
);
INSERT INTO deliveries_v2 (id, guild_id, session_id, kind, offset_s, due_at, status, channel_id,
    payload, attempts, claimed_at, lease_until, sent_at, message_id, last_error, created_at)
SELECT id, guild_id, session_id, kind, offset_s, due_at, status, channel_id, payload, attempts,
    claimed_at, claimed_at, sent_at, message_id, last_error, created_at FROM deliveries;
DROP TABLE deliveries;
ALTER TABLE deliveries_v2 RENAME TO deliveries;
CREATE INDEX deliveries_due ON deliveries (status, due_at);
CREATE INDEX deliveries_session ON deliveries (session_id, status);
CREATE INDEX deliveries_lease ON deliveries (lease_until) WHERE status = 'claimed';

-- The workout as shown (JSON: {"name": ..., "lines": [...]}), saved when it was typed, so
-- drawing an announcement never re-parses stored text.
ALTER TABLE sessions ADD COLUMN workout_display TEXT;

-- Which process may post from this database: one holder, kept alive by a heartbeat.
CREATE TABLE instance_lease (
    name          TEXT PRIMARY KEY,
    holder        TEXT NOT NULL,
    host          TEXT NOT NULL,
    pid           INTEGER NOT NULL,
    heartbeat_at  TEXT NOT NULL,
    expires_at    TEXT NOT NULL
);
