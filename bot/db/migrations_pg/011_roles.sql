-- PostgreSQL twin of migrations/011.
ALTER TABLE sessions ADD COLUMN answer_role_id BIGINT;
ALTER TABLE sessions ADD COLUMN attendee_role_id BIGINT;
ALTER TABLE sessions ADD COLUMN rsvp_closes_s BIGINT NOT NULL DEFAULT 0;

CREATE TABLE dm_reminders (
    user_id     BIGINT PRIMARY KEY,
    enabled     BIGINT NOT NULL DEFAULT 0,
    closed_at   TEXT,
    told_at     TEXT,
    updated_at  TEXT NOT NULL
);
