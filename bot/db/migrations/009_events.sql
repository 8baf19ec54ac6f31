-- Sessions get a length (used by Discord's scheduled events, calendar files and feeds), and
-- remember the Discord scheduled event that mirrors them. Servers choose the default length and
-- whether sessions are mirrored into Discord's events (NULL: on when Pacer has Manage Events).
ALTER TABLE sessions ADD COLUMN duration_s INTEGER NOT NULL DEFAULT 5400;
ALTER TABLE sessions ADD COLUMN discord_event_id INTEGER;
ALTER TABLE guild_settings ADD COLUMN session_minutes INTEGER;
ALTER TABLE guild_settings ADD COLUMN discord_events INTEGER;

-- A thread per session (/setup threads): when it opens (NULL: never), and the thread itself.
ALTER TABLE guild_settings ADD COLUMN threads_when TEXT;
ALTER TABLE sessions ADD COLUMN thread_id INTEGER;

-- Calendar feeds: one unguessable token per server (user_id 0) and per member (their own
-- sessions). Resetting a server's feed replaces its token, so old links stop working.
CREATE TABLE calendar_feeds (
    token       TEXT PRIMARY KEY,
    guild_id    INTEGER NOT NULL,
    user_id     INTEGER NOT NULL DEFAULT 0,
    created_at  TEXT NOT NULL,
    UNIQUE (guild_id, user_id)
);
