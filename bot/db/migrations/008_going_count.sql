-- How many are going, kept on the session by triggers: every answer needs it, and counting the
-- going rows of a 10,000-member announcement on each answer made a burst quadratic.
-- (Trigger bodies stay on one line: migrations are split at semicolons that end a line.)
ALTER TABLE sessions ADD COLUMN going_count INTEGER NOT NULL DEFAULT 0;
UPDATE sessions SET going_count = (SELECT COUNT(*) FROM rsvps WHERE rsvps.session_id = sessions.id AND rsvps.state = 'going');
CREATE TRIGGER rsvps_going_insert AFTER INSERT ON rsvps WHEN NEW.state = 'going' BEGIN UPDATE sessions SET going_count = going_count + 1 WHERE id = NEW.session_id; END;
CREATE TRIGGER rsvps_going_delete AFTER DELETE ON rsvps WHEN OLD.state = 'going' BEGIN UPDATE sessions SET going_count = going_count - 1 WHERE id = OLD.session_id; END;
CREATE TRIGGER rsvps_going_update AFTER UPDATE OF state ON rsvps WHEN (OLD.state = 'going') <> (NEW.state = 'going') BEGIN UPDATE sessions SET going_count = going_count + (NEW.state = 'going') - (OLD.state = 'going') WHERE id = NEW.session_id; END;
