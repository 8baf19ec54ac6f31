-- PostgreSQL twin of migrations/010.
CREATE TABLE group_publications (
    session_id        BIGINT PRIMARY KEY REFERENCES sessions (id),
    guild_id          BIGINT NOT NULL,
    spread_s_per_km   DOUBLE PRECISION,
    group_count       BIGINT,
    published_by      BIGINT NOT NULL,
    published_at      TEXT NOT NULL,
    CHECK ((spread_s_per_km IS NULL) <> (group_count IS NULL))
);

CREATE TABLE group_members (
    session_id  BIGINT NOT NULL REFERENCES sessions (id),
    user_id     BIGINT NOT NULL,
    group_no    BIGINT NOT NULL CHECK (group_no >= 1),
    moved_by    BIGINT,
    placed_at   TEXT NOT NULL,
    PRIMARY KEY (session_id, user_id)
);

CREATE TABLE group_leaders (
    session_id  BIGINT NOT NULL REFERENCES sessions (id),
    group_no    BIGINT NOT NULL CHECK (group_no >= 1),
    user_id     BIGINT NOT NULL,
    named_by    BIGINT NOT NULL,
    named_at    TEXT NOT NULL,
    PRIMARY KEY (session_id, group_no)
);

CREATE TABLE group_profile_notices (
    guild_id    BIGINT NOT NULL,
    user_id     BIGINT NOT NULL,
    session_id  BIGINT NOT NULL,
    noticed_at  TEXT NOT NULL,
    PRIMARY KEY (guild_id, user_id)
);

ALTER TABLE runner_prefs ADD COLUMN public_pace BIGINT NOT NULL DEFAULT 0
    CHECK (public_pace IN (0, 1));
