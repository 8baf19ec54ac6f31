-- PostgreSQL twin of migrations/001 (same number, same meaning; see bot/db/__init__.py).
CREATE TABLE profiles (
    user_id     BIGINT PRIMARY KEY,
    race_name   TEXT    NOT NULL,
    distance_m  DOUBLE PRECISION NOT NULL CHECK (distance_m > 0),
    seconds     DOUBLE PRECISION NOT NULL CHECK (seconds > 0),
    vdot        DOUBLE PRECISION NOT NULL,
    updated_at  TEXT    NOT NULL
);
