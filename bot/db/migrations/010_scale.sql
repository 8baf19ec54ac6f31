-- Re-planning a server's sessions after a settings change runs in short chunks after the reply.
-- This mark says one is pending and how far it got (sessions ordered by start, then id, up to
-- and including the cursor are done), so a restart resumes it; a new change bumps the
-- generation and starts again from the nearest session. Deliveries with an id up to
-- stale_through_id were planned before the change: until their session is re-planned they are
-- re-planned on the spot when they fall due, never posted by the old plan.
CREATE TABLE replans (
    guild_id          INTEGER PRIMARY KEY,
    generation        INTEGER NOT NULL,
    stale_through_id  INTEGER NOT NULL,
    after_starts_at  TEXT,
    after_id         INTEGER,
    requested_at     TEXT NOT NULL
);
