-- PostgreSQL twin of migrations/004: PostgreSQL changes a CHECK in place (no rebuild).
ALTER TABLE rsvp_events DROP CONSTRAINT rsvp_events_source_check;
ALTER TABLE rsvp_events ADD CONSTRAINT rsvp_events_source_check CHECK (source IN
    ('reaction', 'button', 'command', 'reconcile', 'organizer', 'departed'));
