-- PostgreSQL twin of migrations/006.
ALTER TABLE sessions ADD COLUMN workout_display TEXT;

CREATE TABLE instance_lease (
    name          TEXT PRIMARY KEY,
    holder        TEXT NOT NULL,
    host          TEXT NOT NULL,
    pid           BIGINT NOT NULL,
    heartbeat_at  TEXT NOT NULL,
    expires_at    TEXT NOT NULL
);

CREATE TABLE runner_prefs (
    user_id          BIGINT PRIMARY KEY,
    units            TEXT CHECK (units IS NULL OR units IN ('km', 'mi')),
    goal_race_name   TEXT,
    goal_distance_m  DOUBLE PRECISION CHECK (goal_distance_m IS NULL OR goal_distance_m > 0),
    goal_seconds     DOUBLE PRECISION CHECK (goal_seconds IS NULL OR goal_seconds > 0),
    updated_at       TEXT NOT NULL,
    CHECK ((goal_race_name IS NULL) = (goal_distance_m IS NULL)
           AND (goal_distance_m IS NULL) = (goal_seconds IS NULL))
);

CREATE TABLE guild_units (
    guild_id    BIGINT PRIMARY KEY,
    units       TEXT NOT NULL CHECK (units IN ('km', 'mi')),
    updated_at  TEXT NOT NULL
);
