-- PostgreSQL twin of migrations/009.
ALTER TABLE sessions ADD COLUMN duration_s BIGINT NOT NULL DEFAULT 5400;
ALTER TABLE sessions ADD COLUMN discord_event_id BIGINT;
ALTER TABLE guild_settings ADD COLUMN session_minutes BIGINT;
ALTER TABLE guild_settings ADD COLUMN discord_events BIGINT;

ALTER TABLE guild_settings ADD COLUMN threads_when TEXT;
ALTER TABLE sessions ADD COLUMN thread_id BIGINT;

CREATE TABLE calendar_feeds (
    token       TEXT PRIMARY KEY,
    guild_id    BIGINT NOT NULL,
    user_id     BIGINT NOT NULL DEFAULT 0,
    created_at  TEXT NOT NULL,
    UNIQUE (guild_id, user_id)
);
