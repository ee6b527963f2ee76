-- 0001_initial: the whole schema of the registry (operations.md OPS-34).
--
-- The migrator runs this file inside one transaction together with its schema_migrations row
-- (OPS-30), so there is no BEGIN/COMMIT here and no statement that cannot run in a transaction.
-- The file is executed as one multi-statement string; the plpgsql body below is dollar-quoted.
--
-- Conventions (domain.md section 1):
--   * every table has `id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY` (DOM-1); the
--     application never supplies ids. Exceptions, as the spec names them: event_chain_heads
--     (keyed by institution_id) and audit_rate_limits (keyed by its text key).
--   * every closed vocabulary has a CHECK listing exactly the values of domain.md section 3.
--   * identifier-like text is COLLATE "C": identifiers are compared and sorted by UTF-8 byte order
--     (DOM-5, AUD-20), whatever the database's default collation is. It also makes lower(),
--     ILIKE and regex classes on these columns ASCII-only and the same on every deployment.
--   * optional text is NULL, never '' (DOM-4, DOM-66a): nullable text columns CHECK (<> '').
--   * created_at/updated_at are set by the application (DOM-7); there are no business-logic
--     triggers (derived counts and the hash chain are written by the application in the same
--     transaction). The only triggers enforce immutability (DOM-80, DOM-81, DOM-84).
--   * a btree entry may hold at most 2704 bytes after pglz compression. An identifier (or url,
--     resource_identifier) longer than about 2.7 kB that does not compress is refused with
--     SQLSTATE 54000 (program_limit_exceeded) although DOM-13 allows 4096 bytes; the application
--     should answer that as 422 `is too long`. Repetitive long paths compress and fit (the smoke
--     test stores a 4096-byte one); a 2900-byte random one was refused.

CREATE EXTENSION IF NOT EXISTS pg_trgm; -- trigram GIN indexes for the `*_like` filters (API-47)

-- ---------------------------------------------------------------------------------------------
-- Immutability guard (DOM-80, DOM-81, DOM-84). One function for every protected table; the
-- trigger passes the rule id and the reason so the error names both.
-- ---------------------------------------------------------------------------------------------
CREATE FUNCTION reject_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% on % is not allowed: % (%)', TG_OP, TG_TABLE_NAME, TG_ARGV[1], TG_ARGV[0]
        USING ERRCODE = 'raise_exception',
              HINT = 'rows of this table are never modified or removed by the registry';
END;
$$;

-- ---------------------------------------------------------------------------------------------
-- 4.1 institutions
-- ---------------------------------------------------------------------------------------------
CREATE TABLE institutions (
    id                    bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    identifier            text COLLATE "C" NOT NULL,
    name                  text COLLATE "C" NOT NULL,
    type                  text NOT NULL,
    member_institution_id bigint REFERENCES institutions (id),
    state                 text NOT NULL DEFAULT 'A',
    deactivated_at        timestamptz,
    receiving_bucket      text COLLATE "C" NOT NULL,
    restore_bucket        text COLLATE "C" NOT NULL,
    created_at            timestamptz NOT NULL DEFAULT now(),
    updated_at            timestamptz NOT NULL DEFAULT now(),
    -- DOM-10
    CONSTRAINT institutions_identifier_format CHECK (
        identifier ~ '^[a-z0-9][a-z0-9_-]*(\.[a-z0-9][a-z0-9_-]*)*\.[a-z]{2,63}$'
        AND octet_length(identifier) <= 253),
    CONSTRAINT institutions_name_length CHECK (octet_length(name) BETWEEN 1 AND 255),
    CONSTRAINT institutions_type_vocabulary CHECK (type IN ('MemberInstitution', 'SubscriptionInstitution')),
    CONSTRAINT institutions_state_vocabulary CHECK (state IN ('A', 'D')),
    -- DOM-50: a subscriber has a parent, a member has none (that the parent is a member is
    -- checked by the application: a CHECK cannot look at another row).
    CONSTRAINT institutions_parent_by_type CHECK (
        (type = 'SubscriptionInstitution') = (member_institution_id IS NOT NULL)),
    CONSTRAINT institutions_not_own_parent CHECK (member_institution_id <> id),
    -- DOM-51: deactivated_at is set exactly while the institution is deactivated.
    CONSTRAINT institutions_deactivated_at_by_state CHECK ((state = 'D') = (deactivated_at IS NOT NULL)),
    -- DOM-19: bucket = configured prefix + identifier.
    CONSTRAINT institutions_receiving_bucket_suffix CHECK (
        right(receiving_bucket, char_length(identifier)) = identifier),
    CONSTRAINT institutions_restore_bucket_suffix CHECK (
        right(restore_bucket, char_length(identifier)) = identifier)
);
CREATE UNIQUE INDEX institutions_identifier_key ON institutions (identifier);
-- "unique case-insensitively" (4.1). The column is COLLATE "C", so lower() folds ASCII only:
-- the same answer on every deployment. The application's duplicate check must use lower(name).
CREATE UNIQUE INDEX institutions_lower_name_key ON institutions (lower(name));
CREATE UNIQUE INDEX institutions_receiving_bucket_key ON institutions (receiving_bucket);
CREATE UNIQUE INDEX institutions_restore_bucket_key ON institutions (restore_bucket);
-- Report roll-up: subscribers of a member (API-125).
CREATE INDEX institutions_member_institution_id_idx ON institutions (member_institution_id)
    WHERE member_institution_id IS NOT NULL;

-- One chain head per institution (auditor.md 5.3), created by the application in the same
-- transaction as the institution (OPS-22). Locked FOR UPDATE by every event insert (AUD-45).
CREATE TABLE event_chain_heads (
    institution_id bigint PRIMARY KEY REFERENCES institutions (id),
    sequence       bigint NOT NULL DEFAULT 0,
    chain_hash     bytea NOT NULL DEFAULT decode(repeat('00', 32), 'hex'), -- chain_hash(0), AUD-43
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT event_chain_heads_sequence_range CHECK (sequence >= 0),
    CONSTRAINT event_chain_heads_chain_hash_length CHECK (octet_length(chain_hash) = 32)
);

-- ---------------------------------------------------------------------------------------------
-- 4.2 users, api_keys, sessions, password_tokens
-- ---------------------------------------------------------------------------------------------
CREATE TABLE users (
    id                  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email               text COLLATE "C" NOT NULL,
    name                text NOT NULL,
    institution_id      bigint NOT NULL REFERENCES institutions (id),
    role                text NOT NULL,
    password_hash       text,                  -- html.md WEB-3 format; NULL until set
    password_changed_at timestamptz,
    failed_login_count  integer NOT NULL DEFAULT 0,
    locked_until        timestamptz,           -- WEB-2 lockout
    last_sign_in_at     timestamptz,
    deactivated_at      timestamptz,           -- DOM-55: NULL = active
    created_at          timestamptz NOT NULL DEFAULT now(),
    updated_at          timestamptz NOT NULL DEFAULT now(),
    -- DOM-18. COLLATE "C": "lower-case" means no ASCII capitals, whatever the database locale.
    CONSTRAINT users_email_format CHECK (
        email ~ '^[^@\s]+@[^@\s]+\.[^@\s]+$' AND octet_length(email) <= 254 AND email = lower(email)),
    CONSTRAINT users_name_length CHECK (octet_length(name) BETWEEN 1 AND 255),
    CONSTRAINT users_role_vocabulary CHECK (role IN ('admin', 'institutional_admin', 'institutional_user')),
    CONSTRAINT users_password_hash_format CHECK (password_hash LIKE 'pbkdf2-sha256$%'),
    CONSTRAINT users_failed_login_count_range CHECK (failed_login_count >= 0)
);
CREATE UNIQUE INDEX users_email_key ON users (email);
-- User lists per institution; "active inst admins of the institution" for notifications and
-- DOM-120/121 (role filtered on the few rows of one institution).
CREATE INDEX users_institution_id_idx ON users (institution_id, role);

CREATE TABLE api_keys (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id       bigint NOT NULL REFERENCES users (id),
    label         text NOT NULL,
    key_hash      bytea NOT NULL,              -- raw SHA-256 of the key text (DOM-57); never shown
    key_prefix    text NOT NULL,               -- first 8 characters of the key, for display
    created_by_id bigint REFERENCES users (id),
    last_used_at  timestamptz,                 -- DOM-58: written at most once a minute
    expires_at    timestamptz,                 -- NULL = never
    revoked_at    timestamptz,
    revoked_by_id bigint REFERENCES users (id),
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT api_keys_label_length CHECK (char_length(label) BETWEEN 1 AND 100),
    CONSTRAINT api_keys_key_hash_length CHECK (octet_length(key_hash) = 32),
    CONSTRAINT api_keys_key_prefix_length CHECK (char_length(key_prefix) BETWEEN 1 AND 8),
    CONSTRAINT api_keys_revoker_needs_revocation CHECK (revoked_by_id IS NULL OR revoked_at IS NOT NULL)
);
-- API-11: one indexed lookup per request.
CREATE UNIQUE INDEX api_keys_key_hash_key ON api_keys (key_hash);
CREATE INDEX api_keys_user_id_idx ON api_keys (user_id);

CREATE TABLE sessions (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id_hash      bytea NOT NULL,               -- SHA-256 of the cookie value (WEB-5)
    user_id      bigint NOT NULL REFERENCES users (id),
    csrf_token   text NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    last_seen_at timestamptz NOT NULL DEFAULT now(), -- WEB-6: written at most once a minute
    expires_at   timestamptz NOT NULL,               -- absolute lifetime (SESSION_MAX_HOURS)
    remote_addr  text,
    user_agent   text,
    CONSTRAINT sessions_id_hash_length CHECK (octet_length(id_hash) = 32),
    CONSTRAINT sessions_csrf_token_not_empty CHECK (csrf_token <> ''),
    CONSTRAINT sessions_remote_addr_not_empty CHECK (remote_addr <> ''),
    CONSTRAINT sessions_user_agent_not_empty CHECK (user_agent <> '')
);
CREATE UNIQUE INDEX sessions_id_hash_key ON sessions (id_hash);
-- WEB-8 / DOM-55: delete a user's (other) sessions.
CREATE INDEX sessions_user_id_idx ON sessions (user_id);
-- Purging expired sessions.
CREATE INDEX sessions_expires_at_idx ON sessions (expires_at);

CREATE TABLE password_tokens (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id    bigint NOT NULL REFERENCES users (id),
    token_hash bytea NOT NULL,                 -- SHA-256 of the token (DOM-59)
    purpose    text NOT NULL,
    expires_at timestamptz NOT NULL,           -- created + 72 h
    used_at    timestamptz,                    -- single use
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT password_tokens_token_hash_length CHECK (octet_length(token_hash) = 32),
    CONSTRAINT password_tokens_purpose_vocabulary CHECK (purpose IN ('welcome', 'reset'))
);
CREATE UNIQUE INDEX password_tokens_token_hash_key ON password_tokens (token_hash);
CREATE INDEX password_tokens_user_id_idx ON password_tokens (user_id);

-- ---------------------------------------------------------------------------------------------
-- 4.3 intellectual_objects
-- ---------------------------------------------------------------------------------------------
CREATE TABLE intellectual_objects (
    id                          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    identifier                  text COLLATE "C" NOT NULL,
    bag_name                    text COLLATE "C" NOT NULL,
    institution_id              bigint NOT NULL REFERENCES institutions (id),
    title                       text NOT NULL,
    description                 text,
    alt_identifier              text COLLATE "C",
    bag_group_identifier        text COLLATE "C",
    bagit_profile_identifier    text COLLATE "C",
    source_organization         text,
    internal_sender_identifier  text COLLATE "C",
    internal_sender_description text,
    access                      text NOT NULL,
    state                       text NOT NULL DEFAULT 'A',
    etag                        text COLLATE "C",
    storage_option              text NOT NULL DEFAULT 'Standard',
    file_count                  bigint NOT NULL DEFAULT 0, -- derived, DOM-70
    file_size                   bigint NOT NULL DEFAULT 0, -- derived, DOM-70
    created_at                  timestamptz NOT NULL DEFAULT now(),
    updated_at                  timestamptz NOT NULL DEFAULT now(),
    -- DOM-11: "<institution identifier (DOM-10)>/<bag name>"; the bag name is non-empty, has no
    -- '/' and no control character and is not '.' or '..'. That the prefix is the owner's own
    -- identifier is checked by the application (a CHECK cannot read institutions).
    CONSTRAINT intellectual_objects_identifier_format CHECK (
        identifier ~ '^[a-z0-9][a-z0-9_-]*(\.[a-z0-9][a-z0-9_-]*)*\.[a-z]{2,63}/[^/\x01-\x1f\x7f]+$'
        AND split_part(identifier, '/', 2) NOT IN ('.', '..')
        AND octet_length(identifier) <= 1024),
    CONSTRAINT intellectual_objects_bag_name_not_empty CHECK (bag_name <> ''), -- DOM-12
    CONSTRAINT intellectual_objects_access_vocabulary CHECK (access IN ('consortia', 'institution', 'restricted')),
    CONSTRAINT intellectual_objects_state_vocabulary CHECK (state IN ('A', 'D')),
    CONSTRAINT intellectual_objects_storage_option_vocabulary CHECK (storage_option IN (
        'Standard', 'Glacier-OH', 'Glacier-OR', 'Glacier-VA',
        'Glacier-Deep-OH', 'Glacier-Deep-OR', 'Glacier-Deep-VA')),
    CONSTRAINT intellectual_objects_etag_length CHECK (etag <> '' AND octet_length(etag) <= 255),
    CONSTRAINT intellectual_objects_description_not_empty CHECK (description <> ''),
    CONSTRAINT intellectual_objects_alt_identifier_not_empty CHECK (alt_identifier <> ''),
    CONSTRAINT intellectual_objects_bag_group_identifier_not_empty CHECK (bag_group_identifier <> ''),
    CONSTRAINT intellectual_objects_bagit_profile_identifier_not_empty CHECK (bagit_profile_identifier <> ''),
    CONSTRAINT intellectual_objects_source_organization_not_empty CHECK (source_organization <> ''),
    CONSTRAINT intellectual_objects_internal_sender_identifier_not_empty CHECK (internal_sender_identifier <> ''),
    CONSTRAINT intellectual_objects_internal_sender_description_not_empty CHECK (internal_sender_description <> ''),
    CONSTRAINT intellectual_objects_file_count_range CHECK (file_count >= 0),
    CONSTRAINT intellectual_objects_file_size_range CHECK (file_size >= 0),
    -- Target of the composite foreign keys of generic_files and premis_events, which make their
    -- copies of institution_id and intellectual_object_identifier (DOM-71) exact. Leading with
    -- institution_id it also serves "objects of an institution by identifier" (sort=identifier).
    CONSTRAINT intellectual_objects_institution_identifier_id_key UNIQUE (institution_id, identifier, id)
);
-- DOM-11: unique across all objects, deleted ones included. Also `identifier=` and the admin
-- list sorted by identifier.
CREATE UNIQUE INDEX intellectual_objects_identifier_key ON intellectual_objects (identifier);
-- Default list sort `date` (updated_at DESC, id DESC) of a tenant-scoped list (API-90).
CREATE INDEX intellectual_objects_institution_updated_idx
    ON intellectual_objects (institution_id, updated_at DESC, id DESC);
-- Default list sort for admins, no institution filter.
CREATE INDEX intellectual_objects_updated_idx ON intellectual_objects (updated_at DESC, id DESC);
-- sort=created (read backwards) and created_after/before per institution; deposits report (API-126).
CREATE INDEX intellectual_objects_institution_created_idx
    ON intellectual_objects (institution_id, created_at, id);
-- sort=created and created_after/before for admins.
CREATE INDEX intellectual_objects_created_idx ON intellectual_objects (created_at, id);
-- `bag_name=` filter and sort=name (bag_name ASC, id ASC).
CREATE INDEX intellectual_objects_bag_name_idx ON intellectual_objects (bag_name, id);
-- identifier_like / title_like (case-insensitive substring, API-47): ILIKE '%...%'.
CREATE INDEX intellectual_objects_identifier_trgm_idx
    ON intellectual_objects USING gin (identifier gin_trgm_ops);
CREATE INDEX intellectual_objects_title_trgm_idx
    ON intellectual_objects USING gin (title gin_trgm_ops);

-- ---------------------------------------------------------------------------------------------
-- 4.4 generic_files
-- ---------------------------------------------------------------------------------------------
CREATE TABLE generic_files (
    id                             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    identifier                     text COLLATE "C" NOT NULL,
    intellectual_object_id         bigint NOT NULL,
    intellectual_object_identifier text COLLATE "C" NOT NULL,
    institution_id                 bigint NOT NULL,
    file_format                    text NOT NULL,
    uri                            text COLLATE "C" NOT NULL,
    size                           bigint NOT NULL,
    state                          text NOT NULL DEFAULT 'A',
    storage_option                 text NOT NULL DEFAULT 'Standard',
    last_fixity_check              timestamptz NOT NULL DEFAULT '2000-01-01T00:00:00Z', -- DOM-74
    created_at                     timestamptz NOT NULL DEFAULT now(),
    updated_at                     timestamptz NOT NULL DEFAULT now(),
    -- DOM-71: the object, its identifier and its institution are one consistent triple. This
    -- single composite key replaces the plain foreign keys on intellectual_object_id and
    -- institution_id (the object's own key guarantees the institution exists).
    CONSTRAINT generic_files_object_fkey FOREIGN KEY (institution_id, intellectual_object_identifier, intellectual_object_id)
        REFERENCES intellectual_objects (institution_id, identifier, id),
    -- DOM-13: "<object identifier>/<path>", path non-empty, not starting with '/', no control
    -- characters; at most 4096 bytes.
    CONSTRAINT generic_files_identifier_format CHECK (
        starts_with(identifier, intellectual_object_identifier || '/')
        AND char_length(identifier) > char_length(intellectual_object_identifier) + 1
        AND substr(identifier, char_length(intellectual_object_identifier) + 2, 1) <> '/'
        AND identifier !~ '[\x01-\x1f\x7f]'
        AND octet_length(identifier) <= 4096),
    CONSTRAINT generic_files_file_format_length CHECK (octet_length(file_format) BETWEEN 1 AND 255),
    CONSTRAINT generic_files_uri_format CHECK (position('://' IN uri) > 0 AND octet_length(uri) <= 2048),
    CONSTRAINT generic_files_size_range CHECK (size >= 0),
    CONSTRAINT generic_files_state_vocabulary CHECK (state IN ('A', 'D')),
    CONSTRAINT generic_files_storage_option_vocabulary CHECK (storage_option IN (
        'Standard', 'Glacier-OH', 'Glacier-OR', 'Glacier-VA',
        'Glacier-Deep-OH', 'Glacier-Deep-OR', 'Glacier-Deep-VA'))
);
-- DOM-13: unique across all files, deleted ones included; `identifier=` lookups; admin list
-- sorted by identifier.
CREATE UNIQUE INDEX generic_files_identifier_key ON generic_files (identifier);
-- Files of an object ordered by identifier (default sort; API-71 nested lists; the workers'
-- `intellectual_object_identifier=&state=A` check, DOM-123); DOM-70 recounts; FK lookups.
CREATE INDEX generic_files_object_identifier_idx ON generic_files (intellectual_object_id, identifier);
-- Tenant-scoped file list, default sort identifier.
CREATE INDEX generic_files_institution_identifier_idx ON generic_files (institution_id, identifier);
-- Fixity queue (section 8.3: state=A, storage_option=Standard, last_fixity_check <= cutoff,
-- sort=last_fixity_check) and AUD-30 with storage_option.
CREATE INDEX generic_files_fixity_queue_idx
    ON generic_files (state, storage_option, last_fixity_check, id);
-- AUD-30 without storage_option: active files, oldest check first (the index above cannot give
-- that order when storage_option is not fixed).
CREATE INDEX generic_files_active_fixity_idx ON generic_files (last_fixity_check, id)
    WHERE state = 'A';
-- sort=date (updated_at DESC, id DESC), updated_after/before.
CREATE INDEX generic_files_updated_idx ON generic_files (updated_at DESC, id DESC);
-- identifier_like (ILIKE '%...%').
CREATE INDEX generic_files_identifier_trgm_idx ON generic_files USING gin (identifier gin_trgm_ops);

-- ---------------------------------------------------------------------------------------------
-- 4.5 checksums (immutable, DOM-80)
-- ---------------------------------------------------------------------------------------------
CREATE TABLE checksums (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    generic_file_id bigint NOT NULL REFERENCES generic_files (id),
    algorithm       text NOT NULL,
    datetime        timestamptz NOT NULL,      -- when the digest was computed
    digest          text COLLATE "C" NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT checksums_algorithm_vocabulary CHECK (algorithm IN ('md5', 'sha1', 'sha256', 'sha512')),
    -- DOM-17: lower-case hex of the algorithm's length.
    CONSTRAINT checksums_digest_format CHECK (
        digest ~ '^[0-9a-f]+$'
        AND octet_length(digest) = CASE algorithm
            WHEN 'md5' THEN 32 WHEN 'sha1' THEN 40 WHEN 'sha256' THEN 64 WHEN 'sha512' THEN 128 END)
);
-- Natural key (API-61). Read backwards it is also the worker's store step
-- `generic_file_identifier=&algorithm=sha256&sort=datetime DESC` once the file id is known, so
-- no separate (generic_file_id, algorithm, datetime DESC) index is needed.
CREATE UNIQUE INDEX checksums_file_algorithm_datetime_key
    ON checksums (generic_file_id, algorithm, datetime);
-- Checksum list without a file filter: default sort datetime DESC, datetime_after/before.
CREATE INDEX checksums_datetime_idx ON checksums (datetime, id);
-- `digest=` filter ("which file has this content"); equality only, so a hash index (smaller than
-- a btree over 64-128 character keys).
CREATE INDEX checksums_digest_idx ON checksums USING hash (digest);

-- ---------------------------------------------------------------------------------------------
-- 4.6 premis_events (immutable, DOM-80; hash chain auditor.md section 5)
-- ---------------------------------------------------------------------------------------------
CREATE TABLE premis_events (
    id                             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    identifier                     uuid NOT NULL,  -- DOM-15; uuid text output is lower case
    event_type                     text NOT NULL,
    date_time                      timestamptz NOT NULL,
    outcome                        text NOT NULL,
    detail                         text NOT NULL,
    outcome_detail                 text NOT NULL,
    outcome_information            text,
    object                         text COLLATE "C" NOT NULL, -- AUD-24 sorts agents by bytes
    agent                          text COLLATE "C" NOT NULL,
    intellectual_object_id         bigint NOT NULL,
    intellectual_object_identifier text COLLATE "C" NOT NULL,
    generic_file_id                bigint REFERENCES generic_files (id),
    generic_file_identifier        text COLLATE "C",
    institution_id                 bigint NOT NULL,
    sequence                       bigint NOT NULL,
    entry_hash                     bytea NOT NULL,
    chain_hash                     bytea NOT NULL,
    created_at                     timestamptz NOT NULL DEFAULT now(),
    -- DOM-71, as for generic_files: object, its identifier and institution are consistent.
    CONSTRAINT premis_events_object_fkey FOREIGN KEY (institution_id, intellectual_object_identifier, intellectual_object_id)
        REFERENCES intellectual_objects (institution_id, identifier, id),
    CONSTRAINT premis_events_event_type_vocabulary CHECK (event_type IN (
        'access assignment', 'capture', 'compression', 'creation', 'deaccession', 'decompression',
        'decryption', 'deletion', 'digital signature validation', 'fixity check',
        'identifier assignment', 'ingestion', 'message digest calculation', 'migration',
        'normalization', 'replication', 'validation', 'virus check')),
    CONSTRAINT premis_events_outcome_vocabulary CHECK (outcome IN ('Success', 'Failure', 'Failed')),
    CONSTRAINT premis_events_outcome_information_not_empty CHECK (outcome_information <> ''),
    -- API-70: object-level events have neither a file id nor a file identifier, file events both,
    -- and a file identifier lies under the event's object (DOM-13).
    CONSTRAINT premis_events_file_pair CHECK ((generic_file_id IS NULL) = (generic_file_identifier IS NULL)),
    CONSTRAINT premis_events_file_under_object CHECK (
        starts_with(generic_file_identifier, intellectual_object_identifier || '/')),
    CONSTRAINT premis_events_sequence_range CHECK (sequence >= 1),
    CONSTRAINT premis_events_entry_hash_length CHECK (octet_length(entry_hash) = 32),
    CONSTRAINT premis_events_chain_hash_length CHECK (octet_length(chain_hash) = 32)
);
-- AUD-4 (all eight), with a trailing id where lists order by (column, id) so that
-- `ORDER BY date_time DESC, id DESC LIMIT n` is a plain backward index scan.
-- Unique identifier: show, `identifier=` filter, sort=name, idempotent replay (API-61).
CREATE UNIQUE INDEX premis_events_identifier_key ON premis_events (identifier);
-- The institution's chain (AUD-45/46), sort=sequence, sequence_min/max, export (AUD-10).
CREATE UNIQUE INDEX premis_events_institution_sequence_key ON premis_events (institution_id, sequence);
-- object_identifier filter / path parent (AUD-1/2), PREMIS export (AUD-20), DOM-125 checks.
CREATE INDEX premis_events_object_date_time_idx ON premis_events (intellectual_object_id, date_time, id);
-- file_identifier filter / path parent, fixity history (AUD-31), DOM-124 checks.
CREATE INDEX premis_events_file_date_time_idx ON premis_events (generic_file_id, date_time, id)
    WHERE generic_file_id IS NOT NULL;
-- institution + date_time range (AUD-4), tenant-scoped default sort `date`.
CREATE INDEX premis_events_institution_date_time_idx ON premis_events (institution_id, date_time, id);
-- Admin lists: default sort `date`, date_time_after/before.
CREATE INDEX premis_events_date_time_idx ON premis_events (date_time, id);
-- sort=created and created_after/before per institution.
CREATE INDEX premis_events_institution_created_idx ON premis_events (institution_id, created_at, id);
-- Failed-fixity alerts and the failed_fixity trigger (section 8.8, API-130):
-- event_type = 'fixity check' AND created_at >= since ORDER BY created_at DESC, id DESC.
CREATE INDEX premis_events_type_created_idx ON premis_events (event_type, created_at, id);

-- ---------------------------------------------------------------------------------------------
-- 4.7 storage_records
-- ---------------------------------------------------------------------------------------------
CREATE TABLE storage_records (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    generic_file_id bigint NOT NULL REFERENCES generic_files (id),
    url             text COLLATE "C" NOT NULL,
    kind            text NOT NULL,
    source_event_id bigint REFERENCES premis_events (id), -- DOM-64 replica records
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    superseded_at   timestamptz,                          -- DOM-63, DOM-65; NULL = current
    CONSTRAINT storage_records_kind_vocabulary CHECK (kind IN ('primary', 'replica')),
    CONSTRAINT storage_records_url_format CHECK (position('://' IN url) > 0)
);
-- Unique (generic_file_id, url) (4.7); it also serves "records of a file" (storage record list
-- by generic_file_id, AUD-22, DOM-63/65), so no separate (generic_file_id) index.
CREATE UNIQUE INDEX storage_records_file_url_key ON storage_records (generic_file_id, url);

-- ---------------------------------------------------------------------------------------------
-- 4.10 deletion_requests (before work_items, which reference them)
-- ---------------------------------------------------------------------------------------------
CREATE TABLE deletion_requests (
    id                  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    institution_id      bigint NOT NULL REFERENCES institutions (id),
    kind                text NOT NULL,
    status              text NOT NULL DEFAULT 'requested',
    requested_by_id     bigint NOT NULL REFERENCES users (id),
    requested_at        timestamptz NOT NULL DEFAULT now(),
    -- The spec calls this the "SHA-256 hex" of the current token; it is stored as the raw 32
    -- digest bytes (as api_keys.key_hash and password_tokens.token_hash) and compared in constant
    -- time (DOM-121). NULL once used or cancelled.
    token_hash          bytea,
    token_expires_at    timestamptz,
    inst_approver_id    bigint REFERENCES users (id),
    inst_approved_at    timestamptz,
    aptrust_approver_id bigint REFERENCES users (id),
    aptrust_approved_at timestamptz,
    cancelled_by_id     bigint REFERENCES users (id),
    cancelled_at        timestamptz,
    completed_at        timestamptz,
    note                text,
    created_at          timestamptz NOT NULL DEFAULT now(),
    updated_at          timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT deletion_requests_kind_vocabulary CHECK (kind IN ('object', 'file', 'bulk')),
    -- DOM-41 without `expired`, which is derived from token_expires_at (section 8.6).
    CONSTRAINT deletion_requests_status_vocabulary CHECK (status IN (
        'requested', 'institution_approved', 'approved', 'completed', 'cancelled')),
    CONSTRAINT deletion_requests_token_hash_length CHECK (octet_length(token_hash) = 32),
    CONSTRAINT deletion_requests_token_expires CHECK (token_hash IS NULL OR token_expires_at IS NOT NULL),
    CONSTRAINT deletion_requests_completed_at_by_status CHECK ((status = 'completed') = (completed_at IS NOT NULL)),
    CONSTRAINT deletion_requests_cancelled_at_by_status CHECK ((status = 'cancelled') = (cancelled_at IS NOT NULL)),
    CONSTRAINT deletion_requests_note_not_empty CHECK (note <> '')
);
-- Deletion list per institution filtered by status; "open request" checks (DOM-120).
CREATE INDEX deletion_requests_institution_status_idx ON deletion_requests (institution_id, status);

-- Covered objects and files, written at request time and never changed (4.10, DOM-120a).
CREATE TABLE deletion_request_objects (
    id                     bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    deletion_request_id    bigint NOT NULL REFERENCES deletion_requests (id),
    intellectual_object_id bigint NOT NULL REFERENCES intellectual_objects (id),
    created_at             timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX deletion_request_objects_key
    ON deletion_request_objects (deletion_request_id, intellectual_object_id);
-- "Does an open/approved request cover this object?" (DOM-120, DOM-124, DOM-125).
CREATE INDEX deletion_request_objects_object_idx
    ON deletion_request_objects (intellectual_object_id, deletion_request_id);

CREATE TABLE deletion_request_files (
    id                  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    deletion_request_id bigint NOT NULL REFERENCES deletion_requests (id),
    generic_file_id     bigint NOT NULL REFERENCES generic_files (id),
    created_at          timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX deletion_request_files_key
    ON deletion_request_files (deletion_request_id, generic_file_id);
-- "Does an open/approved request cover this file?" (DOM-120, DOM-124).
CREATE INDEX deletion_request_files_file_idx
    ON deletion_request_files (generic_file_id, deletion_request_id);

-- ---------------------------------------------------------------------------------------------
-- 4.8 work_items
-- ---------------------------------------------------------------------------------------------
CREATE TABLE work_items (
    id                      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name                    text COLLATE "C" NOT NULL,
    etag                    text COLLATE "C",
    bag_date                timestamptz NOT NULL,
    bucket                  text COLLATE "C" NOT NULL,
    "user"                  text COLLATE "C" NOT NULL, -- requester e-mail; a reserved word: quote it
    institution_id          bigint NOT NULL REFERENCES institutions (id),
    date                    timestamptz NOT NULL DEFAULT now(),
    note                    text NOT NULL,
    outcome                 text NOT NULL,
    action                  text NOT NULL,
    stage                   text NOT NULL,
    status                  text NOT NULL,
    retry                   boolean NOT NULL DEFAULT false,
    needs_admin_review      boolean NOT NULL DEFAULT false,
    object_identifier       text COLLATE "C",
    generic_file_identifier text COLLATE "C",
    intellectual_object_id  bigint REFERENCES intellectual_objects (id),
    generic_file_id         bigint REFERENCES generic_files (id),
    node                    text COLLATE "C",
    pid                     integer NOT NULL DEFAULT 0,
    queued_at               timestamptz,
    stage_started_at        timestamptz,
    size                    bigint,
    inst_approver           text COLLATE "C",
    aptrust_approver        text COLLATE "C",
    deletion_request_id     bigint REFERENCES deletion_requests (id),
    created_at              timestamptz NOT NULL DEFAULT now(),
    updated_at              timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT work_items_name_length CHECK (octet_length(name) BETWEEN 1 AND 1024),
    CONSTRAINT work_items_etag_length CHECK (etag <> '' AND octet_length(etag) <= 255),
    CONSTRAINT work_items_bucket_length CHECK (octet_length(bucket) BETWEEN 1 AND 255),
    CONSTRAINT work_items_user_not_empty CHECK ("user" <> ''),
    CONSTRAINT work_items_action_vocabulary CHECK (action IN (
        'Ingest', 'Fixity Check', 'Restore', 'Glacier Restore', 'Delete')),
    CONSTRAINT work_items_stage_vocabulary CHECK (stage IN (
        'Requested', 'Receive', 'Fetch', 'Unpack', 'Validate', 'Store', 'Record', 'Cleanup',
        'Resolve', 'Package', 'Restoring', 'Available in S3')),
    CONSTRAINT work_items_status_vocabulary CHECK (status IN (
        'Pending', 'Started', 'Success', 'Failed', 'Cancelled')),
    -- DOM-66a: optional text is NULL, never ''.
    CONSTRAINT work_items_object_identifier_not_empty CHECK (object_identifier <> ''),
    CONSTRAINT work_items_generic_file_identifier_not_empty CHECK (generic_file_identifier <> ''),
    CONSTRAINT work_items_node_length CHECK (node <> '' AND octet_length(node) <= 255),
    CONSTRAINT work_items_inst_approver_not_empty CHECK (inst_approver <> ''),
    CONSTRAINT work_items_aptrust_approver_not_empty CHECK (aptrust_approver <> ''),
    CONSTRAINT work_items_pid_range CHECK (pid >= 0),
    CONSTRAINT work_items_size_range CHECK (size >= 0)
);
-- The queue poller (section 8.2 step 2, W5):
--   queued=false&status=Pending&retry=true&node_empty=true, sort date DESC, id DESC
--   = queued_at IS NULL AND node IS NULL AND status = $1 AND retry = $2 ORDER BY date DESC, id DESC.
-- Partial, so it holds only the few unqueued items. status and retry are key columns rather than
-- part of the predicate on purpose: a prepared statement's generic plan binds them as $n and
-- could then not prove a predicate like `status = 'Pending'` (measured: it fell back to scanning
-- the date index, 40k rows); IS NULL is always literal SQL text, so this predicate is provable.
CREATE INDEX work_items_queue_poll_idx ON work_items (status, retry, date DESC, id DESC)
    WHERE queued_at IS NULL AND node IS NULL;
-- The bucket reader (8.2 step 1): item_action=Ingest&name=&etag=; the fetch worker's
-- item_action=Ingest&name=; DOM-102's re-ingest clause (name = bag.tar, or name LIKE 'bag.b%'
-- which COLLATE "C" lets a btree serve as a range).
CREATE INDEX work_items_name_etag_idx ON work_items (name, etag);
-- Tenant-scoped default list sort `date` (API-105).
CREATE INDEX work_items_institution_date_idx ON work_items (institution_id, date DESC, id DESC);
-- Admin default list sort `date`; dashboard "10 newest work items".
CREATE INDEX work_items_date_idx ON work_items (date DESC, id DESC);
-- object_identifier filter; DOM-102 pending work; DOM-78 last ingested version.
CREATE INDEX work_items_object_identifier_idx ON work_items (object_identifier)
    WHERE object_identifier IS NOT NULL;
-- file_identifier filter; DOM-111 pending Delete for a file.
CREATE INDEX work_items_generic_file_identifier_idx ON work_items (generic_file_identifier)
    WHERE generic_file_identifier IS NOT NULL;
-- Failure alerts (status Failed, action, updated_at >= since; section 8.8) and the
-- successful_restoration / deletion notification triggers (API-131, API-133).
CREATE INDEX work_items_status_action_updated_idx ON work_items (status, action, updated_at, id);
-- Stalled items (section 8.8): status IN (Pending, Started) AND queued_at < now - 12 h; DOM-102
-- pending work. Not partial: a bound `status = ANY($1)` could not use a partial index (see above).
CREATE INDEX work_items_status_queued_idx ON work_items (status, queued_at);
-- Delete items of a deletion request (deletion show: work_item_ids).
CREATE INDEX work_items_deletion_request_idx ON work_items (deletion_request_id)
    WHERE deletion_request_id IS NOT NULL;
-- needs_admin_review=true (admin review queue); few rows.
CREATE INDEX work_items_needs_admin_review_idx ON work_items (date DESC, id DESC)
    WHERE needs_admin_review;

-- ---------------------------------------------------------------------------------------------
-- 4.9 work_item_states
-- ---------------------------------------------------------------------------------------------
CREATE TABLE work_item_states (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    work_item_id bigint NOT NULL REFERENCES work_items (id),
    action       text NOT NULL,
    state        bytea NOT NULL,               -- zlib (RFC 1950) of the client's UTF-8 text (DOM-67)
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT work_item_states_action_vocabulary CHECK (action IN (
        'Ingest', 'Fixity Check', 'Restore', 'Glacier Restore', 'Delete'))
);
-- One state per item (API-66 upsert); DOM-76's LEFT JOIN for work_item_state_id.
CREATE UNIQUE INDEX work_item_states_work_item_id_key ON work_item_states (work_item_id);

-- ---------------------------------------------------------------------------------------------
-- 4.11 notifications (outbox)
-- ---------------------------------------------------------------------------------------------
CREATE TABLE notifications (
    id                      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    notification_type       text NOT NULL,
    institution_id          bigint NOT NULL REFERENCES institutions (id), -- DOM-141a
    recipients              text[] NOT NULL DEFAULT '{}',
    subject                 text NOT NULL,
    body                    text NOT NULL,
    attachment_name         text,
    attachment_content_type text,
    attachment              bytea,
    status                  text NOT NULL DEFAULT 'pending',
    attempts                integer NOT NULL DEFAULT 0,
    last_error              text,
    sent_at                 timestamptz,
    deletion_request_id     bigint REFERENCES deletion_requests (id),
    created_at              timestamptz NOT NULL DEFAULT now(),
    updated_at              timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT notifications_type_vocabulary CHECK (notification_type IN (
        'deletion_request', 'deletion_confirmation', 'deletion_finished', 'bulk_deletion_request',
        'bulk_deletion_confirmation_partial', 'bulk_deletion_confirmation_final', 'multiple_fixity',
        'multiple_restoration', 'restoration_spot_test', 'deletion_notifications', 'welcome',
        'password_reset')),
    CONSTRAINT notifications_status_vocabulary CHECK (status IN ('pending', 'sent', 'failed')),
    CONSTRAINT notifications_attempts_range CHECK (attempts >= 0),
    CONSTRAINT notifications_recipients_no_nulls CHECK (array_position(recipients, NULL) IS NULL),
    CONSTRAINT notifications_attachment_name_not_empty CHECK (attachment_name <> ''),
    CONSTRAINT notifications_attachment_content_type_not_empty CHECK (attachment_content_type <> ''),
    CONSTRAINT notifications_last_error_not_empty CHECK (last_error <> '')
);
-- The relay's `status=pending` poll, oldest first; outbox list by status.
CREATE INDEX notifications_status_created_idx ON notifications (status, created_at);

-- Which events / work items a notification covered: DOM-140 de-duplication
-- ("already linked to a notification of the same type": look up by event / item, then join).
CREATE TABLE notification_events (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    notification_id  bigint NOT NULL REFERENCES notifications (id),
    premis_event_id  bigint NOT NULL REFERENCES premis_events (id),
    created_at       timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX notification_events_key ON notification_events (notification_id, premis_event_id);
CREATE INDEX notification_events_event_idx ON notification_events (premis_event_id, notification_id);

CREATE TABLE notification_work_items (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    notification_id bigint NOT NULL REFERENCES notifications (id),
    work_item_id    bigint NOT NULL REFERENCES work_items (id),
    created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX notification_work_items_key ON notification_work_items (notification_id, work_item_id);
CREATE INDEX notification_work_items_item_idx ON notification_work_items (work_item_id, notification_id);

-- ---------------------------------------------------------------------------------------------
-- 4.12 audit_log (append-only, DOM-84)
-- ---------------------------------------------------------------------------------------------
CREATE TABLE audit_log (
    id                  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    created_at          timestamptz NOT NULL DEFAULT now(),
    occurred_at         timestamptz NOT NULL DEFAULT now(), -- transaction time
    request_id          text NOT NULL,                      -- request id or `cli:<command>`
    actor_user_id       bigint REFERENCES users (id),
    actor_email         text COLLATE "C",
    auth_method         text NOT NULL,
    remote_addr         text,
    action              text COLLATE "C" NOT NULL,
    resource_type       text COLLATE "C",
    resource_id         bigint,
    resource_identifier text COLLATE "C",
    institution_id      bigint REFERENCES institutions (id),
    http_method         text,
    path                text,
    status              integer,                            -- HTTP response status
    details             jsonb,                              -- never secrets (4.12)
    CONSTRAINT audit_log_request_id_not_empty CHECK (request_id <> ''),
    CONSTRAINT audit_log_auth_method_format CHECK (auth_method ~ '^(api_key:[0-9]+|session|cli|none)$'),
    CONSTRAINT audit_log_action_format CHECK (action ~ '^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*$'),
    CONSTRAINT audit_log_status_range CHECK (status BETWEEN 100 AND 599),
    CONSTRAINT audit_log_details_object CHECK (jsonb_typeof(details) = 'object'),
    CONSTRAINT audit_log_actor_email_not_empty CHECK (actor_email <> ''),
    CONSTRAINT audit_log_remote_addr_not_empty CHECK (remote_addr <> ''),
    CONSTRAINT audit_log_resource_type_not_empty CHECK (resource_type <> ''),
    CONSTRAINT audit_log_resource_identifier_not_empty CHECK (resource_identifier <> ''),
    CONSTRAINT audit_log_http_method_not_empty CHECK (http_method <> ''),
    CONSTRAINT audit_log_path_not_empty CHECK (path <> '')
);
-- AUD-70: an inst admin's log (institution_id = own), newest first, after/before.
CREATE INDEX audit_log_institution_occurred_idx ON audit_log (institution_id, occurred_at, id);
-- AUD-70: resource_identifier filter ("what happened to this object/file").
CREATE INDEX audit_log_resource_identifier_idx ON audit_log (resource_identifier)
    WHERE resource_identifier IS NOT NULL;
-- Admin log, newest first, after/before.
CREATE INDEX audit_log_occurred_idx ON audit_log (occurred_at, id);
-- AUD-70 actor filter ("what did this person do"), newest first.
CREATE INDEX audit_log_actor_occurred_idx ON audit_log (actor_email, occurred_at, id)
    WHERE actor_email IS NOT NULL;

-- DOM-83: at most one api_auth.failure / authz.denied row per key per minute. The key is built by
-- the application from (claimed e-mail or user, remote address, route); the row is claimed with
-- INSERT ... ON CONFLICT (key) DO UPDATE ... WHERE last_written_at <= now() - interval '1 minute'.
CREATE TABLE audit_rate_limits (
    key             text COLLATE "C" PRIMARY KEY,
    last_written_at timestamptz NOT NULL
);

-- ---------------------------------------------------------------------------------------------
-- Immutability triggers. Row triggers reject UPDATE/DELETE; statement triggers reject TRUNCATE
-- (which skips row triggers). A superuser can still disable them (auditor.md AUD-63, AUD-64).
-- ---------------------------------------------------------------------------------------------
CREATE TRIGGER premis_events_immutable BEFORE UPDATE OR DELETE ON premis_events
    FOR EACH ROW EXECUTE FUNCTION reject_change('DOM-80', 'PREMIS events are immutable');
CREATE TRIGGER premis_events_no_truncate BEFORE TRUNCATE ON premis_events
    FOR EACH STATEMENT EXECUTE FUNCTION reject_change('DOM-80', 'PREMIS events are immutable');

CREATE TRIGGER checksums_immutable BEFORE UPDATE OR DELETE ON checksums
    FOR EACH ROW EXECUTE FUNCTION reject_change('DOM-80', 'checksums are immutable');
CREATE TRIGGER checksums_no_truncate BEFORE TRUNCATE ON checksums
    FOR EACH STATEMENT EXECUTE FUNCTION reject_change('DOM-80', 'checksums are immutable');

CREATE TRIGGER intellectual_objects_no_delete BEFORE DELETE ON intellectual_objects
    FOR EACH ROW EXECUTE FUNCTION reject_change('DOM-81', 'objects are soft-deleted (state D) only');
CREATE TRIGGER intellectual_objects_no_truncate BEFORE TRUNCATE ON intellectual_objects
    FOR EACH STATEMENT EXECUTE FUNCTION reject_change('DOM-81', 'objects are soft-deleted (state D) only');

CREATE TRIGGER generic_files_no_delete BEFORE DELETE ON generic_files
    FOR EACH ROW EXECUTE FUNCTION reject_change('DOM-81', 'files are soft-deleted (state D) only');
CREATE TRIGGER generic_files_no_truncate BEFORE TRUNCATE ON generic_files
    FOR EACH STATEMENT EXECUTE FUNCTION reject_change('DOM-81', 'files are soft-deleted (state D) only');

CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION reject_change('DOM-84', 'the audit log is append-only');
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION reject_change('DOM-84', 'the audit log is append-only');
