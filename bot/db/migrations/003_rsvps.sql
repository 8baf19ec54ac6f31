-- RSVPs: the current answer of each member for each occurrence, every action that led to it,
-- and which reactions Pacer has seen on each announcement (to reconcile after downtime).
CREATE TABLE rsvp_events (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,   -- also the first-come order of the waitlist
    session_id  INTEGER NOT NULL REFERENCES sessions (id),
    user_id     INTEGER NOT NULL,
    action      TEXT NOT NULL CHECK (action IN ('going', 'maybe', 'no', 'remove')),
    source      TEXT NOT NULL CHECK (source IN ('reaction', 'button', 'command', 'reconcile')),
    at          TEXT NOT NULL
);
CREATE INDEX rsvp_events_session ON rsvp_events (session_id, user_id);

CREATE TABLE rsvps (
    session_id    INTEGER NOT NULL REFERENCES sessions (id),
    user_id       INTEGER NOT NULL,
    guild_id      INTEGER NOT NULL,
    display_name  TEXT NOT NULL,
    response      TEXT NOT NULL CHECK (response IN ('going', 'maybe', 'no')),
    state         TEXT NOT NULL CHECK (state IN ('going', 'waitlist', 'maybe', 'no')),
    going_seq     INTEGER,            -- rsvp_events.id of the "going" that queued them
    source        TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    PRIMARY KEY (session_id, user_id)
);
CREATE INDEX rsvps_state ON rsvps (session_id, state, going_seq);

CREATE TABLE reactions_seen (
    session_id  INTEGER NOT NULL REFERENCES sessions (id),
    user_id     INTEGER NOT NULL,
    emoji       TEXT NOT NULL,
    PRIMARY KEY (session_id, user_id, emoji)
);
