-- Attendance: who actually came to each session (the current mark per member), every mark that
-- led to it with who made it, and each server's check-in window and season start.
CREATE TABLE attendance (
    session_id  INTEGER NOT NULL REFERENCES sessions (id),
    user_id     INTEGER NOT NULL,
    guild_id    INTEGER NOT NULL,
    display_name TEXT NOT NULL,    -- as the member was called when last marked (for the CSV)
    state       TEXT NOT NULL CHECK (state IN ('attended', 'no_show', 'walk_in')),
    source      TEXT NOT NULL CHECK (source IN ('checkin', 'organizer')),
    marked_by   INTEGER NOT NULL,
    updated_at  TEXT NOT NULL,
    PRIMARY KEY (session_id, user_id)
);
CREATE INDEX attendance_guild_user ON attendance (guild_id, user_id);

CREATE TABLE attendance_events (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    session_id  INTEGER NOT NULL REFERENCES sessions (id),
    user_id     INTEGER NOT NULL,
    guild_id    INTEGER NOT NULL,
    state       TEXT NOT NULL CHECK (state IN ('attended', 'no_show', 'walk_in')),
    source      TEXT NOT NULL CHECK (source IN ('checkin', 'organizer')),
    marked_by   INTEGER NOT NULL,
    at          TEXT NOT NULL
);
CREATE INDEX attendance_events_session ON attendance_events (session_id, user_id);
CREATE INDEX attendance_events_guild_user ON attendance_events (guild_id, user_id);

CREATE TABLE attendance_settings (
    guild_id          INTEGER PRIMARY KEY,
    checkin_before_s  INTEGER CHECK (checkin_before_s BETWEEN 0 AND 86400),
    checkin_after_s   INTEGER CHECK (checkin_after_s BETWEEN 0 AND 86400),
    season_start      TEXT,      -- 'MM-DD'; NULL = 1 January
    updated_at        TEXT NOT NULL
);
