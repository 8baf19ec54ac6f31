-- PostgreSQL twin of migrations/008: the going count kept by one trigger function.
ALTER TABLE sessions ADD COLUMN going_count BIGINT NOT NULL DEFAULT 0;
UPDATE sessions SET going_count = (SELECT COUNT(*) FROM rsvps
    WHERE rsvps.session_id = sessions.id AND rsvps.state = 'going');
CREATE FUNCTION pacer_going_count() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.state = 'going' THEN
        UPDATE sessions SET going_count = going_count - 1 WHERE id = OLD.session_id;
    END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') AND NEW.state = 'going' THEN
        UPDATE sessions SET going_count = going_count + 1 WHERE id = NEW.session_id;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER rsvps_going AFTER INSERT OR DELETE OR UPDATE OF state ON rsvps
    FOR EACH ROW EXECUTE FUNCTION pacer_going_count();
