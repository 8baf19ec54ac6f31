-- PostgreSQL twin of migrations/005: kinds and statuses are checked in code; leases and
-- fingerprints for claims.
ALTER TABLE deliveries DROP CONSTRAINT deliveries_kind_check;
ALTER TABLE deliveries DROP CONSTRAINT deliveries_status_check;
ALTER TABLE deliveries ADD COLUMN lease_until TEXT;
ALTER TABLE deliveries ADD COLUMN fingerprint TEXT;
UPDATE deliveries SET lease_until = claimed_at;
CREATE INDEX deliveries_lease ON deliveries (lease_until) WHERE status = 'claimed';
