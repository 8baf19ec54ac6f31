-- Runner profiles: one recent race per runner, used for personal paces in every server.
CREATE TABLE profiles (
    user_id     INTEGER PRIMARY KEY,
    race_name   TEXT    NOT NULL,
    distance_m  REAL    NOT NULL CHECK (distance_m > 0),
    seconds     REAL    NOT NULL CHECK (seconds > 0),
    vdot        REAL    NOT NULL,
    updated_at  TEXT    NOT NULL
);
