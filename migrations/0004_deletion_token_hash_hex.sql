-- 0004: domain.md §4.10 — `deletion_requests.token_hash` is the "SHA-256 hex of the current token":
-- 64 lower-case hex characters, no longer the raw 32 digest bytes. Open requests keep working (the
-- stored digests are converted, not replaced); the comparison stays constant-time in Swift (DOM-121).
ALTER TABLE deletion_requests DROP CONSTRAINT deletion_requests_token_hash_length;
ALTER TABLE deletion_requests ALTER COLUMN token_hash TYPE text USING encode(token_hash, 'hex');
ALTER TABLE deletion_requests ADD CONSTRAINT deletion_requests_token_hash_hex
    CHECK (token_hash ~ '^[0-9a-f]{64}$');
