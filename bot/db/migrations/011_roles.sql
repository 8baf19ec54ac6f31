-- Roles on sessions: who may answer (NULL: everyone who can see the channel), the role given to
-- members going until the end (NULL: none), and how long before the start answers close
-- (seconds; 0: at the start).
ALTER TABLE sessions ADD COLUMN answer_role_id INTEGER;
ALTER TABLE sessions ADD COLUMN attendee_role_id INTEGER;
ALTER TABLE sessions ADD COLUMN rsvp_closes_s INTEGER NOT NULL DEFAULT 0;

-- Reminders by DM (/profile reminders): a member's choice, and when a DM bounced (their DMs are
-- closed to Pacer: DM reminders stop until they turn them on again) and when they were told.
CREATE TABLE dm_reminders (
    user_id     INTEGER PRIMARY KEY,
    enabled     INTEGER NOT NULL DEFAULT 0,
    closed_at   TEXT,
    told_at     TEXT,
    updated_at  TEXT NOT NULL
);
