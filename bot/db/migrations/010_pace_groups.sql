-- Published pace groups: a session's groups as organizers published them (the rule, and where
-- each runner was placed then), organizers' moves and leaders, the one-time note to members
-- going without a profile, and each runner's choice to show their pace in public groups.
CREATE TABLE group_publications (
    session_id        INTEGER PRIMARY KEY REFERENCES sessions (id),
    guild_id          INTEGER NOT NULL,
    spread_s_per_km   REAL,      -- the rule: at most this far apart at T pace, or
    group_count       INTEGER,   -- exactly this many groups (one of the two is set)
    published_by      INTEGER NOT NULL,
    published_at      TEXT NOT NULL,
    CHECK ((spread_s_per_km IS NULL) <> (group_count IS NULL))
);

-- Where a runner is: placed by the rule at publishing (moved_by NULL) or moved by an organizer.
-- group_no is the group's stable number as shown ("Group 2"), not its position.
CREATE TABLE group_members (
    session_id  INTEGER NOT NULL REFERENCES sessions (id),
    user_id     INTEGER NOT NULL,
    group_no    INTEGER NOT NULL CHECK (group_no >= 1),
    moved_by    INTEGER,
    placed_at   TEXT NOT NULL,
    PRIMARY KEY (session_id, user_id)
);

CREATE TABLE group_leaders (
    session_id  INTEGER NOT NULL REFERENCES sessions (id),
    group_no    INTEGER NOT NULL CHECK (group_no >= 1),
    user_id     INTEGER NOT NULL,
    named_by    INTEGER NOT NULL,
    named_at    TEXT NOT NULL,
    PRIMARY KEY (session_id, group_no)
);

-- Members told (once per server) how to add a profile so they can be placed in a group.
CREATE TABLE group_profile_notices (
    guild_id    INTEGER NOT NULL,
    user_id     INTEGER NOT NULL,
    session_id  INTEGER NOT NULL,
    noticed_at  TEXT NOT NULL,
    PRIMARY KEY (guild_id, user_id)
);

ALTER TABLE runner_prefs ADD COLUMN public_pace INTEGER NOT NULL DEFAULT 0 CHECK (public_pace IN (0, 1));
