-- A runner's goal race (kept apart from the recent race that sets their paces) and their unit,
-- and each server's default unit. Rows exist only once someone chose something.
CREATE TABLE runner_prefs (
    user_id          INTEGER PRIMARY KEY,
    units            TEXT CHECK (units IS NULL OR units IN ('km', 'mi')),
    goal_race_name   TEXT,
    goal_distance_m  REAL CHECK (goal_distance_m IS NULL OR goal_distance_m > 0),
    goal_seconds     REAL CHECK (goal_seconds IS NULL OR goal_seconds > 0),
    updated_at       TEXT NOT NULL,
    CHECK ((goal_race_name IS NULL) = (goal_distance_m IS NULL)
           AND (goal_distance_m IS NULL) = (goal_seconds IS NULL))
);

CREATE TABLE guild_units (
    guild_id    INTEGER PRIMARY KEY,
    units       TEXT NOT NULL CHECK (units IN ('km', 'mi')),
    updated_at  TEXT NOT NULL
);
