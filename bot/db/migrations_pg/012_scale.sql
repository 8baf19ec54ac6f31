-- PostgreSQL twin of migrations/012.
CREATE TABLE replans (
    guild_id          BIGINT PRIMARY KEY,
    generation        BIGINT NOT NULL,
    stale_through_id  BIGINT NOT NULL,
    after_starts_at   TEXT,
    after_id          BIGINT,
    requested_at      TEXT NOT NULL
);

ALTER TABLE sessions ADD COLUMN pruned_at TEXT;
CREATE INDEX sessions_unpruned ON sessions (starts_at) WHERE pruned_at IS NULL;
CREATE TABLE session_going (
    session_id  BIGINT PRIMARY KEY REFERENCES sessions (id),
    user_ids    TEXT NOT NULL
);

DROP INDEX sessions_dirty;
CREATE INDEX sessions_behind ON sessions (id)
    WHERE announcement_message_id IS NOT NULL AND rendered_version < version;
CREATE INDEX sessions_announced_start ON sessions (starts_at)
    WHERE announcement_message_id IS NOT NULL;
CREATE INDEX deliveries_channel_sent ON deliveries (channel_id, sent_at) WHERE status = 'sent';
