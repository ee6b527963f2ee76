-- 0003: domain.md DOM-1 and §4 — every table has an `id bigint` identity primary key, `created_at`
-- and, unless immutable, `updated_at`. audit_rate_limits (the DOM-83 "at most one row per minute"
-- claims) was keyed by its text key; the key stays unique, so `INSERT … ON CONFLICT (key)` claims a
-- slot exactly as before, and a claim renewed after a minute moves `updated_at`.
ALTER TABLE audit_rate_limits DROP CONSTRAINT audit_rate_limits_pkey;
ALTER TABLE audit_rate_limits ADD CONSTRAINT audit_rate_limits_key_key UNIQUE (key);
ALTER TABLE audit_rate_limits ADD COLUMN id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY;
ALTER TABLE audit_rate_limits ADD COLUMN created_at timestamptz NOT NULL DEFAULT now();
ALTER TABLE audit_rate_limits ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now();
