-- Server settings, group sessions (one row per occurrence) and the deliveries outbox.
CREATE TABLE guild_settings (
    guild_id             INTEGER PRIMARY KEY,
    announce_channel_id  INTEGER,
    timezone             TEXT,
    organizer_role_id    INTEGER,
    reminder_offsets     TEXT,      -- seconds, comma-separated, largest first; '' = no reminders
    announce_days        INTEGER CHECK (announce_days BETWEEN 0 AND 28),
    updated_at           TEXT NOT NULL
);

CREATE TABLE series (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    guild_id    INTEGER NOT NULL,
    weeks       INTEGER NOT NULL CHECK (weeks BETWEEN 1 AND 52),
    created_by  INTEGER NOT NULL,
    created_at  TEXT NOT NULL
);

CREATE TABLE sessions (
    id                       INTEGER PRIMARY KEY AUTOINCREMENT,
    guild_id                 INTEGER NOT NULL,
    series_id                INTEGER NOT NULL REFERENCES series (id),
    position                 INTEGER NOT NULL,   -- 1-based week in the series
    title                    TEXT NOT NULL,
    location                 TEXT NOT NULL,
    workout                  TEXT,
    workout_parsed           INTEGER NOT NULL DEFAULT 0,
    details                  TEXT,
    capacity                 INTEGER CHECK (capacity IS NULL OR capacity > 0),
    channel_id               INTEGER NOT NULL,
    starts_at                TEXT NOT NULL,      -- aware UTC, ISO 8601
    timezone                 TEXT NOT NULL,
    status                   TEXT NOT NULL DEFAULT 'scheduled'
                                 CHECK (status IN ('scheduled', 'cancelled')),
    cancel_reason            TEXT,
    announcement_message_id  INTEGER,
    version                  INTEGER NOT NULL DEFAULT 1,   -- bumped on every visible change
    rendered_version         INTEGER NOT NULL DEFAULT 0,   -- what the announcement shows
    created_by               INTEGER NOT NULL,
    created_at               TEXT NOT NULL,
    updated_at               TEXT NOT NULL
);
CREATE INDEX sessions_guild_start ON sessions (guild_id, starts_at);
CREATE INDEX sessions_series ON sessions (series_id, position);
CREATE INDEX sessions_dirty ON sessions (rendered_version, version)
    WHERE announcement_message_id IS NOT NULL;
CREATE UNIQUE INDEX sessions_announcement ON sessions (announcement_message_id)
    WHERE announcement_message_id IS NOT NULL;

CREATE TABLE deliveries (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    guild_id     INTEGER NOT NULL,
    session_id   INTEGER NOT NULL REFERENCES sessions (id),
    kind         TEXT NOT NULL CHECK (kind IN
                     ('announcement', 'reminder', 'cancel_notice', 'time_change', 'promotion')),
    offset_s     INTEGER,           -- reminders: lead time before the start
    due_at       TEXT NOT NULL,     -- aware UTC, ISO 8601
    status       TEXT NOT NULL DEFAULT 'pending' CHECK (status IN
                     ('pending', 'claimed', 'sent', 'skipped', 'superseded', 'failed')),
    channel_id   INTEGER NOT NULL,
    payload      TEXT,              -- JSON: what the notice needs (old start, reason, member)
    attempts     INTEGER NOT NULL DEFAULT 0,
    claimed_at   TEXT,
    sent_at      TEXT,
    message_id   INTEGER,
    last_error   TEXT,
    created_at   TEXT NOT NULL
);
CREATE INDEX deliveries_due ON deliveries (status, due_at);
CREATE INDEX deliveries_session ON deliveries (session_id, status);
