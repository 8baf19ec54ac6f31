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

-- Retention (RETENTION_DAYS): a finished session's full record is pruned in chunks by a daily
-- job. pruned_at says when; session_going keeps who was going when answers closed (member ids,
-- space-separated), which attendance needs after the answers themselves are gone.
ALTER TABLE sessions ADD COLUMN pruned_at TEXT;
CREATE INDEX sessions_unpruned ON sessions (starts_at) WHERE pruned_at IS NULL;
CREATE TABLE session_going (
    session_id  INTEGER PRIMARY KEY REFERENCES sessions (id),
    user_ids    TEXT NOT NULL
);

-- Hot queries that read whole tables at 1,000 club-years (bench/history.py shows their plans):
-- announcements behind their session (after every post), posts already recorded in a channel
-- (an unknown outcome's lookup), and announced upcoming sessions never mirrored (start-up).
DROP INDEX sessions_dirty;
CREATE INDEX sessions_behind ON sessions (id)
    WHERE announcement_message_id IS NOT NULL AND rendered_version < version;
CREATE INDEX sessions_announced_start ON sessions (starts_at)
    WHERE announcement_message_id IS NOT NULL;
CREATE INDEX deliveries_channel_sent ON deliveries (channel_id, sent_at) WHERE status = 'sent';
