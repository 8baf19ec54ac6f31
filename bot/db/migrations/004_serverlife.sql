-- Answers can now also be removed by an organizer (/session remove) or because the member left
-- the server. SQLite cannot change a CHECK constraint in place: rebuild rsvp_events, keeping
-- every id (rsvps.going_seq points at them, and they are the waitlist's first-come order).
CREATE TABLE rsvp_events_v4 (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    session_id  INTEGER NOT NULL REFERENCES sessions (id),
    user_id     INTEGER NOT NULL,
    action      TEXT NOT NULL CHECK (action IN ('going', 'maybe', 'no', 'remove')),
    source      TEXT NOT NULL CHECK (source IN
                    ('reaction', 'button', 'command', 'reconcile', 'organizer', 'departed')),
    at          TEXT NOT NULL
);
INSERT INTO rsvp_events_v4 (id, session_id, user_id, action, source, at)
    SELECT id, session_id, user_id, action, source, at FROM rsvp_events;
-- Ids are never reused: carry the old counter over (deleted rows never come back).
DELETE FROM sqlite_sequence WHERE name = 'rsvp_events_v4';
INSERT INTO sqlite_sequence (name, seq)
    SELECT 'rsvp_events_v4', seq FROM sqlite_sequence WHERE name = 'rsvp_events';
DROP TABLE rsvp_events;
ALTER TABLE rsvp_events_v4 RENAME TO rsvp_events;
CREATE INDEX rsvp_events_session ON rsvp_events (session_id, user_id);
