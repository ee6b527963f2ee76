-- Schema smoke test for migrations/0001_initial.sql (no Swift needed). It checks 0001 alone:
-- later migrations change what some checks expect (0004 stores deletion_requests.token_hash as
-- 64 hex characters, so the 4.10 rows below would fail after it).
--
-- Run against a FRESH, otherwise empty database in which 0001 has just been applied, e.g.:
--   createdb smoke
--   psql "dbname=smoke" -v ON_ERROR_STOP=1 --single-transaction -f migrations/0001_initial.sql
--   psql "dbname=smoke" -v ON_ERROR_STOP=1 -f scripts/schema-smoke.sql
-- It stops at the first failed check (ON_ERROR_STOP) and ends with "schema-smoke: all checks
-- passed". Part A loads a realistic volume (200k objects, 1M files, 2M checksums, 1.2M events,
-- 200k work items, 300k audit rows; a few minutes on 2 cores); part B checks triggers, CHECKs,
-- keys and foreign keys on a small sample; part C checks that the hot queries use the intended
-- index and no sequential scan on a large table, with literal values and with generic plans
-- (prepared statements with $n, as the application sends them). The rows stay behind: the
-- triggers forbid removing them, so drop the database afterwards.

\set ON_ERROR_STOP 1
\pset pager off
SET client_min_messages = warning;

-- expect_error(label, statement, sqlstate): the statement must fail with that SQLSTATE.
CREATE FUNCTION pg_temp.expect_error(label text, stmt text, expected text) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
    got text;
    msg text;
BEGIN
    BEGIN
        EXECUTE stmt;
    EXCEPTION WHEN OTHERS THEN
        GET STACKED DIAGNOSTICS got = RETURNED_SQLSTATE, msg = MESSAGE_TEXT;
        IF got <> expected THEN
            RAISE EXCEPTION 'FAIL %: expected SQLSTATE %, got %: %', label, expected, got, msg;
        END IF;
        RETURN format('ok  %-55s %s %s', label, got, msg);
    END;
    RAISE EXCEPTION 'FAIL %: statement succeeded but must fail: %', label, stmt;
END;
$$;

-- expect_ok(label, statement): the statement must succeed.
CREATE FUNCTION pg_temp.expect_ok(label text, stmt text) RETURNS text
LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE stmt;
    RETURN format('ok  %-55s accepted', label);
END;
$$;

-- fail(message): raise, for checks written as CASE expressions.
CREATE FUNCTION pg_temp.fail(message text) RETURNS text
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'FAIL %', message;
END;
$$;

-- check_plan(label, query, index pattern): EXPLAIN ANALYZE the query, print the plan, and fail
-- unless it names the index (a regular expression) and has no sequential scan on a large table.
CREATE FUNCTION pg_temp.check_plan(label text, query text, must_use text) RETURNS SETOF text
LANGUAGE plpgsql AS $$
DECLARE
    line text;
    plan text := '';
BEGIN
    RETURN NEXT '== ' || label;
    FOR line IN EXECUTE 'EXPLAIN (ANALYZE, COSTS OFF) ' || query LOOP
        plan := plan || line || E'\n';
        RETURN NEXT line;
    END LOOP;
    IF plan !~ must_use THEN
        RAISE EXCEPTION 'FAIL %: plan does not use %:%', label, must_use, E'\n' || plan;
    END IF;
    IF plan ~ 'Seq Scan on (intellectual_objects|generic_files|checksums|premis_events|work_items|audit_log)' THEN
        RAISE EXCEPTION 'FAIL %: sequential scan on a large table:%', label, E'\n' || plan;
    END IF;
END;
$$;

-- =============================================================================================
-- Part A: volume
-- =============================================================================================
\echo '== Part A: loading volume data'
\timing on
SELECT setseed(0.25);

INSERT INTO institutions (identifier, name, type, receiving_bucket, restore_bucket)
SELECT format('inst%s.edu', g), format('Institution %s', g), 'MemberInstitution',
       format('aptrust.receiving.inst%s.edu', g), format('aptrust.restore.inst%s.edu', g)
FROM generate_series(1, 20) g;
INSERT INTO event_chain_heads (institution_id) SELECT id FROM institutions;

-- 200k objects spread over 20 institutions and ~3 years.
INSERT INTO intellectual_objects (identifier, bag_name, institution_id, title, access, state,
                                  storage_option, etag, created_at, updated_at)
SELECT i.identifier || '/bag-' || g, 'bag-' || g, i.id, 'Title ' || md5(g::text),
       (ARRAY['consortia', 'institution', 'restricted'])[1 + g % 3],
       CASE WHEN g % 50 = 0 THEN 'D' ELSE 'A' END,
       CASE WHEN g % 10 = 0 THEN 'Glacier-OH' ELSE 'Standard' END,
       md5('etag' || g),
       now() - (g % 1000) * interval '1 day',
       now() - (g % 997) * interval '1 hour' - (g % 3600) * interval '1 second'
FROM generate_series(1, 200000) g
JOIN institutions i ON i.identifier = format('inst%s.edu', 1 + g % 20);

-- 1M files (5 per object); last_fixity_check spread over 120 days.
INSERT INTO generic_files (identifier, intellectual_object_id, intellectual_object_identifier,
                           institution_id, file_format, uri, size, state, storage_option,
                           last_fixity_check, created_at, updated_at)
SELECT o.identifier || '/data/file-' || k || '.txt', o.id, o.identifier, o.institution_id,
       'text/plain', 'https://s3.example.org/preservation/' || o.id || '-' || k,
       (o.id * 7919 * k) % 100000000, o.state, o.storage_option,
       now() - ((o.id * 7 + k * 13) % 120) * interval '1 day' - (o.id % 86400) * interval '1 second',
       o.created_at, o.updated_at
FROM intellectual_objects o CROSS JOIN generate_series(1, 5) k;

-- 2M checksums (md5 + sha256 per file).
INSERT INTO checksums (generic_file_id, algorithm, datetime, digest, created_at)
SELECT f.id, a.alg, f.created_at,
       CASE a.alg WHEN 'md5' THEN md5(f.identifier)
                  ELSE encode(sha256(convert_to(f.identifier, 'UTF8')), 'hex') END,
       f.created_at
FROM generic_files f CROSS JOIN (VALUES ('md5'), ('sha256')) a (alg);

-- 1.2M events: one per file (fixity check or ingestion) and one object-level ingestion per
-- object, numbered per institution as the chain would be (hashes are stand-ins).
INSERT INTO premis_events (identifier, event_type, date_time, outcome, detail, outcome_detail,
                           object, agent, intellectual_object_id, intellectual_object_identifier,
                           generic_file_id, generic_file_identifier, institution_id, sequence,
                           entry_hash, chain_hash, created_at)
SELECT gen_random_uuid(), s.event_type, s.date_time,
       CASE WHEN s.n % 1000 = 0 THEN 'Failed' ELSE 'Success' END,
       'detail', 'outcome detail', 'Go language crypto/sha256', 'https://github.com/APTrust/exchange',
       s.object_id, s.object_identifier, s.file_id, s.file_identifier, s.institution_id,
       row_number() OVER (PARTITION BY s.institution_id ORDER BY s.created_at, s.n),
       sha256(int8send(s.n)), sha256(int8send(-s.n)), s.created_at
FROM (
    SELECT f.id AS n, CASE WHEN f.id % 2 = 0 THEN 'fixity check' ELSE 'ingestion' END AS event_type,
           f.last_fixity_check AS date_time, f.intellectual_object_id AS object_id,
           f.intellectual_object_identifier AS object_identifier, f.id AS file_id,
           f.identifier AS file_identifier, f.institution_id,
           f.last_fixity_check + interval '1 second' AS created_at
    FROM generic_files f
    UNION ALL
    SELECT 10000000 + o.id, 'ingestion', o.created_at, o.id, o.identifier, NULL, NULL,
           o.institution_id, o.created_at
    FROM intellectual_objects o
) s;
UPDATE event_chain_heads h SET sequence = m.max_sequence
FROM (SELECT institution_id, max(sequence) AS max_sequence FROM premis_events GROUP BY institution_id) m
WHERE m.institution_id = h.institution_id;

-- 200k work items: mostly finished ingests, a few hundred waiting to be queued, some failed,
-- started (some stalled) and restores/deletes.
INSERT INTO work_items (name, etag, bag_date, bucket, "user", institution_id, date, note, outcome,
                        action, stage, status, retry, object_identifier, intellectual_object_id,
                        node, pid, queued_at, size, created_at, updated_at)
SELECT o.bag_name || '.tar', o.etag, o.created_at, 'aptrust.receiving.x', 'system@aptrust.org',
       o.institution_id, o.updated_at, 'note', 'outcome',
       CASE WHEN o.id % 10 = 0 THEN 'Restore' WHEN o.id % 17 = 0 THEN 'Delete' ELSE 'Ingest' END,
       CASE WHEN o.id % 500 = 0 THEN 'Receive' ELSE 'Cleanup' END,
       CASE WHEN o.id % 500 = 0 THEN 'Pending' WHEN o.id % 97 = 0 THEN 'Failed'
            WHEN o.id % 251 = 0 THEN 'Started' ELSE 'Success' END,
       o.id % 500 = 0,
       o.identifier, o.id,
       CASE WHEN o.id % 251 = 0 THEN 'worker-1' END,
       CASE WHEN o.id % 251 = 0 THEN 4242 ELSE 0 END,
       CASE WHEN o.id % 500 = 0 THEN NULL ELSE o.updated_at END,
       o.file_size, o.created_at, o.updated_at
FROM intellectual_objects o;

-- 300k audit rows.
INSERT INTO audit_log (occurred_at, request_id, actor_email, auth_method, remote_addr, action,
                       resource_type, resource_id, resource_identifier, institution_id,
                       http_method, path, status, details)
SELECT e.created_at, 'req-' || e.id, 'system@aptrust.org', 'api_key:1', '127.0.0.1',
       'event.create', 'premis_event', e.id, e.identifier::text, e.institution_id,
       'POST', '/api/v2/events', 201, '{}'
FROM premis_events e WHERE e.id % 4 = 0;

ANALYZE;
\timing off

-- =============================================================================================
-- Part B: triggers, CHECKs, keys (small sample under test.edu)
-- =============================================================================================
\echo '== Part B: constraints and triggers'
INSERT INTO institutions (identifier, name, type, receiving_bucket, restore_bucket)
VALUES ('test.edu', 'Test University', 'MemberInstitution', 'aptrust.receiving.test.edu', 'aptrust.restore.test.edu'),
       ('example.org', 'Example', 'MemberInstitution', 'aptrust.receiving.example.org', 'aptrust.restore.example.org');
INSERT INTO event_chain_heads (institution_id)
SELECT id FROM institutions WHERE identifier IN ('test.edu', 'example.org');
INSERT INTO users (email, name, institution_id, role)
SELECT 'admin@test.edu', 'Admin', id, 'institutional_admin' FROM institutions WHERE identifier = 'test.edu';
INSERT INTO intellectual_objects (identifier, bag_name, institution_id, title, access)
SELECT 'test.edu/bag1', 'bag1', id, 'Bag one', 'institution' FROM institutions WHERE identifier = 'test.edu';
INSERT INTO generic_files (identifier, intellectual_object_id, intellectual_object_identifier,
                           institution_id, file_format, uri, size)
SELECT 'test.edu/bag1/data/a b.txt', id, identifier, institution_id, 'text/plain',
       'https://s3.example.org/p/1', 5000000000
FROM intellectual_objects WHERE identifier = 'test.edu/bag1';
INSERT INTO checksums (generic_file_id, algorithm, datetime, digest)
SELECT id, 'sha256', '2024-05-01T13:02:03.123456Z', encode(sha256('x'), 'hex')
FROM generic_files WHERE identifier = 'test.edu/bag1/data/a b.txt';
INSERT INTO premis_events (identifier, event_type, date_time, outcome, detail, outcome_detail, object,
                           agent, intellectual_object_id, intellectual_object_identifier,
                           generic_file_id, generic_file_identifier, institution_id, sequence,
                           entry_hash, chain_hash)
SELECT '6F1C2A9E-0B7D-4E55-9D3A-2F4B8C1D0E11', 'creation', '2024-05-01T13:02:03.123456Z', 'Success',
       'Object created', 'Intellectual object created', 'APTrust exchange',
       'https://github.com/APTrust/exchange', o.id, o.identifier, NULL, NULL, o.institution_id, 1,
       sha256('a'), sha256('b')
FROM intellectual_objects o WHERE o.identifier = 'test.edu/bag1';
INSERT INTO work_items (name, etag, bag_date, bucket, "user", institution_id, note, outcome, action, stage, status)
SELECT 'bag1.tar', 'abc', now(), 'aptrust.receiving.test.edu', 'system@aptrust.org', id, 'n', 'o',
       'Ingest', 'Receive', 'Pending'
FROM institutions WHERE identifier = 'test.edu';
INSERT INTO audit_log (request_id, auth_method, action) VALUES ('req-1', 'none', 'login.failure');

-- Shorthands for the sample rows (psql variables are not interpolated inside dollar quotes).
CREATE FUNCTION pg_temp.inst() RETURNS bigint LANGUAGE sql STABLE
    AS $$SELECT id FROM institutions WHERE identifier = 'test.edu'$$;
CREATE FUNCTION pg_temp.other_inst() RETURNS bigint LANGUAGE sql STABLE
    AS $$SELECT id FROM institutions WHERE identifier = 'example.org'$$;
CREATE FUNCTION pg_temp.obj() RETURNS bigint LANGUAGE sql STABLE
    AS $$SELECT id FROM intellectual_objects WHERE identifier = 'test.edu/bag1'$$;
CREATE FUNCTION pg_temp.file() RETURNS bigint LANGUAGE sql STABLE
    AS $$SELECT id FROM generic_files WHERE identifier = 'test.edu/bag1/data/a b.txt'$$;
CREATE FUNCTION pg_temp.usr() RETURNS bigint LANGUAGE sql STABLE
    AS $$SELECT id FROM users WHERE email = 'admin@test.edu'$$;
CREATE FUNCTION pg_temp.item() RETURNS bigint LANGUAGE sql STABLE
    AS $$SELECT id FROM work_items WHERE name = 'bag1.tar'$$;

SELECT r FROM (VALUES
    -- DOM-80: events and checksums are immutable.
    (pg_temp.expect_error('DOM-80 UPDATE premis_events', $$UPDATE premis_events SET detail = 'x' WHERE intellectual_object_identifier = 'test.edu/bag1'$$, 'P0001')),
    (pg_temp.expect_error('DOM-80 DELETE premis_events', $$DELETE FROM premis_events WHERE intellectual_object_identifier = 'test.edu/bag1'$$, 'P0001')),
    (pg_temp.expect_error('DOM-80 TRUNCATE premis_events', $$TRUNCATE premis_events CASCADE$$, 'P0001')),
    (pg_temp.expect_error('DOM-80 UPDATE checksums', $$UPDATE checksums SET digest = md5('y') || md5('z') WHERE generic_file_id = pg_temp.file()$$, 'P0001')),
    (pg_temp.expect_error('DOM-80 DELETE checksums', $$DELETE FROM checksums WHERE generic_file_id = pg_temp.file()$$, 'P0001')),
    (pg_temp.expect_error('DOM-80 TRUNCATE checksums', $$TRUNCATE checksums$$, 'P0001')),
    -- DOM-81: objects and files are never hard-deleted (but may be updated).
    (pg_temp.expect_error('DOM-81 DELETE intellectual_objects', $$DELETE FROM intellectual_objects WHERE id = pg_temp.obj()$$, 'P0001')),
    (pg_temp.expect_error('DOM-81 TRUNCATE intellectual_objects', $$TRUNCATE intellectual_objects CASCADE$$, 'P0001')),
    (pg_temp.expect_error('DOM-81 DELETE generic_files', $$DELETE FROM generic_files WHERE id = pg_temp.file()$$, 'P0001')),
    (pg_temp.expect_error('DOM-81 TRUNCATE generic_files', $$TRUNCATE generic_files CASCADE$$, 'P0001')),
    (pg_temp.expect_ok('DOM-81 UPDATE intellectual_objects allowed', $$UPDATE intellectual_objects SET title = 'Bag 1', updated_at = now() WHERE id = pg_temp.obj()$$)),
    (pg_temp.expect_ok('DOM-81 UPDATE generic_files allowed', $$UPDATE generic_files SET size = 1, updated_at = now() WHERE id = pg_temp.file()$$)),
    -- DOM-84: the audit log is append-only.
    (pg_temp.expect_error('DOM-84 UPDATE audit_log', $$UPDATE audit_log SET action = 'x.y' WHERE request_id = 'req-1'$$, 'P0001')),
    (pg_temp.expect_error('DOM-84 DELETE audit_log', $$DELETE FROM audit_log WHERE request_id = 'req-1'$$, 'P0001')),
    (pg_temp.expect_error('DOM-84 TRUNCATE audit_log', $$TRUNCATE audit_log$$, 'P0001')),
    -- TRUNCATE of a parent cascades into a protected table and is refused too.
    (pg_temp.expect_error('TRUNCATE institutions CASCADE', $$TRUNCATE institutions CASCADE$$, 'P0001'))
) t (r);

SELECT r FROM (VALUES
    -- DOM-10 institution identifiers.
    (pg_temp.expect_ok('DOM-10 valid aptrust.org', $$INSERT INTO institutions (identifier, name, type, receiving_bucket, restore_bucket) VALUES ('aptrust.org', 'APTrust', 'MemberInstitution', 'r.aptrust.org', 's.aptrust.org')$$)),
    (pg_temp.expect_ok('DOM-10 valid uva-lib.virginia.edu', $$INSERT INTO institutions (identifier, name, type, receiving_bucket, restore_bucket) VALUES ('uva-lib.virginia.edu', 'UVA', 'MemberInstitution', 'r.uva-lib.virginia.edu', 's.uva-lib.virginia.edu')$$)),
    (pg_temp.expect_error('DOM-10 Test.edu', $$INSERT INTO institutions (identifier, name, type, receiving_bucket, restore_bucket) VALUES ('Test.edu', 'T1', 'MemberInstitution', 'r.Test.edu', 's.Test.edu')$$, '23514')),
    (pg_temp.expect_error('DOM-10 test', $$INSERT INTO institutions (identifier, name, type, receiving_bucket, restore_bucket) VALUES ('test', 'T2', 'MemberInstitution', 'r.test', 's.test')$$, '23514')),
    (pg_temp.expect_error('DOM-10 test.', $$INSERT INTO institutions (identifier, name, type, receiving_bucket, restore_bucket) VALUES ('test.', 'T3', 'MemberInstitution', 'r.test.', 's.test.')$$, '23514')),
    (pg_temp.expect_error('DOM-10 .edu', $$INSERT INTO institutions (identifier, name, type, receiving_bucket, restore_bucket) VALUES ('.edu', 'T4', 'MemberInstitution', 'r.edu', 's.edu')$$, '23514')),
    (pg_temp.expect_error('DOM-10 te st.edu', $$INSERT INTO institutions (identifier, name, type, receiving_bucket, restore_bucket) VALUES ('te st.edu', 'T5', 'MemberInstitution', 'r.te st.edu', 's.te st.edu')$$, '23514')),
    (pg_temp.expect_error('DOM-10 254 bytes', $$INSERT INTO institutions (identifier, name, type, receiving_bucket, restore_bucket) VALUES (repeat('a', 250) || '.edu', 'T6', 'MemberInstitution', 'r.' || repeat('a', 250) || '.edu', 's.' || repeat('a', 250) || '.edu')$$, '23514')),
    (pg_temp.expect_error('DOM-19 bucket not ending in identifier', $$INSERT INTO institutions (identifier, name, type, receiving_bucket, restore_bucket) VALUES ('x.edu', 'T7', 'MemberInstitution', 'r.y.edu', 's.x.edu')$$, '23514')),
    (pg_temp.expect_error('4.1 name unique case-insensitively', $$INSERT INTO institutions (identifier, name, type, receiving_bucket, restore_bucket) VALUES ('t2.edu', 'TEST university', 'MemberInstitution', 'r.t2.edu', 's.t2.edu')$$, '23505')),
    (pg_temp.expect_error('4.1 identifier unique', $$INSERT INTO institutions (identifier, name, type, receiving_bucket, restore_bucket) VALUES ('test.edu', 'Other', 'MemberInstitution', 'r2.test.edu', 's2.test.edu')$$, '23505')),
    (pg_temp.expect_error('DOM-19 receiving_bucket unique', $$INSERT INTO institutions (identifier, name, type, receiving_bucket, restore_bucket) VALUES ('receiving.test.edu', 'T8', 'MemberInstitution', 'aptrust.receiving.test.edu', 's.receiving.test.edu')$$, '23505')),
    (pg_temp.expect_error('DOM-39 type vocabulary', $$INSERT INTO institutions (identifier, name, type, receiving_bucket, restore_bucket) VALUES ('t4.edu', 'T9', 'memberinstitution', 'r.t4.edu', 's.t4.edu')$$, '23514')),
    (pg_temp.expect_error('DOM-50 subscriber without parent', $$INSERT INTO institutions (identifier, name, type, receiving_bucket, restore_bucket) VALUES ('t5.edu', 'T10', 'SubscriptionInstitution', 'r.t5.edu', 's.t5.edu')$$, '23514')),
    (pg_temp.expect_ok('DOM-50 subscriber with parent', $$INSERT INTO institutions (identifier, name, type, member_institution_id, receiving_bucket, restore_bucket) VALUES ('sub.test.edu', 'Sub', 'SubscriptionInstitution', pg_temp.inst(), 'r.sub.test.edu', 's.sub.test.edu')$$)),
    (pg_temp.expect_error('DOM-50 member with parent', $$INSERT INTO institutions (identifier, name, type, member_institution_id, receiving_bucket, restore_bucket) VALUES ('t6.edu', 'T11', 'MemberInstitution', pg_temp.inst(), 'r.t6.edu', 's.t6.edu')$$, '23514')),
    (pg_temp.expect_error('DOM-31 institution state vocabulary', $$UPDATE institutions SET state = 'X' WHERE id = pg_temp.inst()$$, '23514')),
    (pg_temp.expect_error('DOM-51 state D needs deactivated_at', $$UPDATE institutions SET state = 'D' WHERE id = pg_temp.inst()$$, '23514')),
    (pg_temp.expect_error('event_chain_heads one per institution', $$INSERT INTO event_chain_heads (institution_id) VALUES (pg_temp.inst())$$, '23505')),
    (pg_temp.expect_error('event_chain_heads hash 32 bytes', $$UPDATE event_chain_heads SET chain_hash = '\x00' WHERE institution_id = pg_temp.inst()$$, '23514'))
) t (r);

SELECT r FROM (VALUES
    -- DOM-18 users, DOM-40 roles, DOM-57 keys, sessions, tokens.
    (pg_temp.expect_error('DOM-18 e-mail lower-case', $$INSERT INTO users (email, name, institution_id, role) VALUES ('Bob@test.edu', 'Bob', pg_temp.inst(), 'institutional_user')$$, '23514')),
    (pg_temp.expect_error('DOM-18 e-mail format', $$INSERT INTO users (email, name, institution_id, role) VALUES ('bob@test', 'Bob', pg_temp.inst(), 'institutional_user')$$, '23514')),
    (pg_temp.expect_error('DOM-18 e-mail unique', $$INSERT INTO users (email, name, institution_id, role) VALUES ('admin@test.edu', 'Bob', pg_temp.inst(), 'institutional_user')$$, '23505')),
    (pg_temp.expect_error('DOM-40 role vocabulary', $$INSERT INTO users (email, name, institution_id, role) VALUES ('bob@test.edu', 'Bob', pg_temp.inst(), 'Admin')$$, '23514')),
    (pg_temp.expect_error('users institution FK', $$INSERT INTO users (email, name, institution_id, role) VALUES ('bob@test.edu', 'Bob', 999999, 'admin')$$, '23503')),
    (pg_temp.expect_ok('DOM-57 32-byte key hash', $$INSERT INTO api_keys (user_id, label, key_hash, key_prefix) VALUES (pg_temp.usr(), 'k', sha256(convert_to('0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef', 'UTF8')), '01234567')$$)),
    (pg_temp.expect_error('DOM-57 key hash not 32 bytes', $$INSERT INTO api_keys (user_id, label, key_hash, key_prefix) VALUES (pg_temp.usr(), 'k', '\x0102', '01234567')$$, '23514')),
    (pg_temp.expect_error('DOM-57 key hash unique', $$INSERT INTO api_keys (user_id, label, key_hash, key_prefix) VALUES (pg_temp.usr(), 'k2', sha256(convert_to('0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef', 'UTF8')), '01234567')$$, '23505')),
    (pg_temp.expect_error('api key label 1..100', $$INSERT INTO api_keys (user_id, label, key_hash, key_prefix) VALUES (pg_temp.usr(), '', sha256('k3'), '01234567')$$, '23514')),
    (pg_temp.expect_error('sessions id_hash 32 bytes', $$INSERT INTO sessions (id_hash, user_id, csrf_token, expires_at) VALUES ('\x01', pg_temp.usr(), 't', now())$$, '23514')),
    (pg_temp.expect_error('password_tokens purpose vocabulary', $$INSERT INTO password_tokens (user_id, token_hash, purpose, expires_at) VALUES (pg_temp.usr(), sha256('t'), 'other', now())$$, '23514'))
) t (r);

SELECT r FROM (VALUES
    -- DOM-11/12 objects, DOM-30/31/32 vocabularies, DOM-4 no empty optional text.
    (pg_temp.expect_ok('DOM-11 bag name with spaces and punctuation', $$INSERT INTO intellectual_objects (identifier, bag_name, institution_id, title, access) VALUES ('test.edu/my bag?#''&%([é', 'my bag?#''&%([é', pg_temp.inst(), 'T', 'consortia')$$)),
    (pg_temp.expect_error('DOM-11 empty bag name', $$INSERT INTO intellectual_objects (identifier, bag_name, institution_id, title, access) VALUES ('test.edu/', 'x', pg_temp.inst(), 'T', 'consortia')$$, '23514')),
    (pg_temp.expect_error('DOM-11 slash in bag name', $$INSERT INTO intellectual_objects (identifier, bag_name, institution_id, title, access) VALUES ('test.edu/a/b', 'a/b', pg_temp.inst(), 'T', 'consortia')$$, '23514')),
    (pg_temp.expect_error('DOM-11 bag name ..', $$INSERT INTO intellectual_objects (identifier, bag_name, institution_id, title, access) VALUES ('test.edu/..', '..', pg_temp.inst(), 'T', 'consortia')$$, '23514')),
    (pg_temp.expect_error('DOM-11 control character', $$INSERT INTO intellectual_objects (identifier, bag_name, institution_id, title, access) VALUES ('test.edu/a' || chr(27), 'a', pg_temp.inst(), 'T', 'consortia')$$, '23514')),
    (pg_temp.expect_error('DOM-11 more than 1024 bytes', $$INSERT INTO intellectual_objects (identifier, bag_name, institution_id, title, access) VALUES ('test.edu/' || repeat('a', 1016), 'a', pg_temp.inst(), 'T', 'consortia')$$, '23514')),
    (pg_temp.expect_error('DOM-11 identifier unique', $$INSERT INTO intellectual_objects (identifier, bag_name, institution_id, title, access) VALUES ('test.edu/bag1', 'bag1', pg_temp.inst(), 'T', 'consortia')$$, '23505')),
    (pg_temp.expect_error('DOM-30 access vocabulary', $$INSERT INTO intellectual_objects (identifier, bag_name, institution_id, title, access) VALUES ('test.edu/b2', 'b2', pg_temp.inst(), 'T', 'Consortia')$$, '23514')),
    (pg_temp.expect_error('DOM-31 object state vocabulary', $$UPDATE intellectual_objects SET state = 'X' WHERE id = pg_temp.obj()$$, '23514')),
    (pg_temp.expect_error('DOM-32 storage_option vocabulary', $$UPDATE intellectual_objects SET storage_option = 'Glacier-Deep-XX' WHERE id = pg_temp.obj()$$, '23514')),
    (pg_temp.expect_error('DOM-4 empty optional text is NULL', $$UPDATE intellectual_objects SET description = '' WHERE id = pg_temp.obj()$$, '23514')),
    (pg_temp.expect_error('DOM-70 file_count >= 0', $$UPDATE intellectual_objects SET file_count = -1 WHERE id = pg_temp.obj()$$, '23514'))
) t (r);

SELECT r FROM (VALUES
    -- DOM-13 files, DOM-71 copies (composite FK), sizes.
    (pg_temp.expect_ok('DOM-13 file over 4 GiB, nested path', $$INSERT INTO generic_files (identifier, intellectual_object_id, intellectual_object_identifier, institution_id, file_format, uri, size) VALUES ('test.edu/bag1/data/sub dir/x&y?.txt', pg_temp.obj(), 'test.edu/bag1', pg_temp.inst(), 'text/plain', 'https://s3/p/2', 4294967297)$$)),
    (pg_temp.expect_ok('DOM-13 4096-byte identifier', $$INSERT INTO generic_files (identifier, intellectual_object_id, intellectual_object_identifier, institution_id, file_format, uri, size) VALUES ('test.edu/bag1/' || repeat('p', 4096 - 14), pg_temp.obj(), 'test.edu/bag1', pg_temp.inst(), 'text/plain', 'https://s3/p/3', 0)$$)),
    (pg_temp.expect_error('DOM-13 4097-byte identifier', $$INSERT INTO generic_files (identifier, intellectual_object_id, intellectual_object_identifier, institution_id, file_format, uri, size) VALUES ('test.edu/bag1/' || repeat('q', 4097 - 14), pg_temp.obj(), 'test.edu/bag1', pg_temp.inst(), 'text/plain', 'https://s3/p/4', 0)$$, '23514')),
    (pg_temp.expect_error('DOM-13 prefix is not the object', $$INSERT INTO generic_files (identifier, intellectual_object_id, intellectual_object_identifier, institution_id, file_format, uri, size) VALUES ('test.edu/bag2/a.txt', pg_temp.obj(), 'test.edu/bag1', pg_temp.inst(), 'text/plain', 'https://s3/p/5', 0)$$, '23514')),
    (pg_temp.expect_error('DOM-13 empty path', $$INSERT INTO generic_files (identifier, intellectual_object_id, intellectual_object_identifier, institution_id, file_format, uri, size) VALUES ('test.edu/bag1/', pg_temp.obj(), 'test.edu/bag1', pg_temp.inst(), 'text/plain', 'https://s3/p/6', 0)$$, '23514')),
    (pg_temp.expect_error('DOM-13 path starts with /', $$INSERT INTO generic_files (identifier, intellectual_object_id, intellectual_object_identifier, institution_id, file_format, uri, size) VALUES ('test.edu/bag1//a', pg_temp.obj(), 'test.edu/bag1', pg_temp.inst(), 'text/plain', 'https://s3/p/7', 0)$$, '23514')),
    (pg_temp.expect_error('DOM-13 control character', $$INSERT INTO generic_files (identifier, intellectual_object_id, intellectual_object_identifier, institution_id, file_format, uri, size) VALUES ('test.edu/bag1/a' || chr(10), pg_temp.obj(), 'test.edu/bag1', pg_temp.inst(), 'text/plain', 'https://s3/p/8', 0)$$, '23514')),
    (pg_temp.expect_error('DOM-13 identifier unique', $$INSERT INTO generic_files (identifier, intellectual_object_id, intellectual_object_identifier, institution_id, file_format, uri, size) VALUES ('test.edu/bag1/data/a b.txt', pg_temp.obj(), 'test.edu/bag1', pg_temp.inst(), 'text/plain', 'https://s3/p/9', 0)$$, '23505')),
    (pg_temp.expect_error('DOM-71 file institution must be the object''s', $$INSERT INTO generic_files (identifier, intellectual_object_id, intellectual_object_identifier, institution_id, file_format, uri, size) VALUES ('test.edu/bag1/b.txt', pg_temp.obj(), 'test.edu/bag1', pg_temp.other_inst(), 'text/plain', 'https://s3/p/10', 0)$$, '23503')),
    (pg_temp.expect_error('DOM-71 object identifier copy must match', $$INSERT INTO generic_files (identifier, intellectual_object_id, intellectual_object_identifier, institution_id, file_format, uri, size) VALUES ('test.edu/bagX/b.txt', pg_temp.obj(), 'test.edu/bagX', pg_temp.inst(), 'text/plain', 'https://s3/p/11', 0)$$, '23503')),
    (pg_temp.expect_error('4.4 size >= 0', $$INSERT INTO generic_files (identifier, intellectual_object_id, intellectual_object_identifier, institution_id, file_format, uri, size) VALUES ('test.edu/bag1/c.txt', pg_temp.obj(), 'test.edu/bag1', pg_temp.inst(), 'text/plain', 'https://s3/p/12', -1)$$, '23514')),
    (pg_temp.expect_error('4.4 uri contains ://', $$INSERT INTO generic_files (identifier, intellectual_object_id, intellectual_object_identifier, institution_id, file_format, uri, size) VALUES ('test.edu/bag1/d.txt', pg_temp.obj(), 'test.edu/bag1', pg_temp.inst(), 'text/plain', 's3/p/13', 0)$$, '23514')),
    (pg_temp.expect_error('4.4 file_format 1..255 bytes', $$INSERT INTO generic_files (identifier, intellectual_object_id, intellectual_object_identifier, institution_id, file_format, uri, size) VALUES ('test.edu/bag1/e.txt', pg_temp.obj(), 'test.edu/bag1', pg_temp.inst(), '', 'https://s3/p/14', 0)$$, '23514'))
) t (r);

SELECT r FROM (VALUES
    -- DOM-17 / DOM-38 checksums.
    (pg_temp.expect_ok('DOM-17 md5 32 lower hex', $$INSERT INTO checksums (generic_file_id, algorithm, datetime, digest) VALUES (pg_temp.file(), 'md5', now(), md5('a'))$$)),
    (pg_temp.expect_ok('DOM-17 sha1 40 lower hex', $$INSERT INTO checksums (generic_file_id, algorithm, datetime, digest) VALUES (pg_temp.file(), 'sha1', now(), repeat('ab', 20))$$)),
    (pg_temp.expect_ok('DOM-17 sha512 128 lower hex', $$INSERT INTO checksums (generic_file_id, algorithm, datetime, digest) VALUES (pg_temp.file(), 'sha512', now(), encode(sha512('a'), 'hex'))$$)),
    (pg_temp.expect_error('DOM-17 upper-case hex', $$INSERT INTO checksums (generic_file_id, algorithm, datetime, digest) VALUES (pg_temp.file(), 'md5', now() - interval '1 day', upper(md5('a')))$$, '23514')),
    (pg_temp.expect_error('DOM-17 wrong length for sha256', $$INSERT INTO checksums (generic_file_id, algorithm, datetime, digest) VALUES (pg_temp.file(), 'sha256', now() - interval '1 day', md5('a'))$$, '23514')),
    (pg_temp.expect_error('DOM-38 algorithm vocabulary', $$INSERT INTO checksums (generic_file_id, algorithm, datetime, digest) VALUES (pg_temp.file(), 'SHA256', now(), encode(sha256('a'), 'hex'))$$, '23514')),
    (pg_temp.expect_error('API-61 checksum natural key unique', $$INSERT INTO checksums (generic_file_id, algorithm, datetime, digest) VALUES (pg_temp.file(), 'sha256', '2024-05-01T13:02:03.123456Z', encode(sha256('y'), 'hex'))$$, '23505'))
) t (r);

SELECT r FROM (VALUES
    -- DOM-15 / DOM-36 / DOM-37 events, hash columns, chain sequence.
    (pg_temp.expect_ok('DOM-36 file event, Failed outcome', $$INSERT INTO premis_events (identifier, event_type, date_time, outcome, detail, outcome_detail, object, agent, intellectual_object_id, intellectual_object_identifier, generic_file_id, generic_file_identifier, institution_id, sequence, entry_hash, chain_hash) VALUES (gen_random_uuid(), 'fixity check', now(), 'Failed', 'd', 'od', 'o', 'a', pg_temp.obj(), 'test.edu/bag1', pg_temp.file(), 'test.edu/bag1/data/a b.txt', pg_temp.inst(), 2, sha256('c'), sha256('d'))$$)),
    (pg_temp.expect_error('DOM-36 event_type case', $$INSERT INTO premis_events (identifier, event_type, date_time, outcome, detail, outcome_detail, object, agent, intellectual_object_id, intellectual_object_identifier, institution_id, sequence, entry_hash, chain_hash) VALUES (gen_random_uuid(), 'Fixity Check', now(), 'Success', 'd', 'od', 'o', 'a', pg_temp.obj(), 'test.edu/bag1', pg_temp.inst(), 3, sha256('c'), sha256('d'))$$, '23514')),
    (pg_temp.expect_error('DOM-37 outcome vocabulary', $$INSERT INTO premis_events (identifier, event_type, date_time, outcome, detail, outcome_detail, object, agent, intellectual_object_id, intellectual_object_identifier, institution_id, sequence, entry_hash, chain_hash) VALUES (gen_random_uuid(), 'creation', now(), 'success', 'd', 'od', 'o', 'a', pg_temp.obj(), 'test.edu/bag1', pg_temp.inst(), 3, sha256('c'), sha256('d'))$$, '23514')),
    (pg_temp.expect_error('DOM-15 identifier is a UUID', $$INSERT INTO premis_events (identifier, event_type, date_time, outcome, detail, outcome_detail, object, agent, intellectual_object_id, intellectual_object_identifier, institution_id, sequence, entry_hash, chain_hash) VALUES ('not-a-uuid', 'creation', now(), 'Success', 'd', 'od', 'o', 'a', pg_temp.obj(), 'test.edu/bag1', pg_temp.inst(), 3, sha256('c'), sha256('d'))$$, '22P02')),
    (pg_temp.expect_error('DOM-15 identifier unique (any case)', $$INSERT INTO premis_events (identifier, event_type, date_time, outcome, detail, outcome_detail, object, agent, intellectual_object_id, intellectual_object_identifier, institution_id, sequence, entry_hash, chain_hash) VALUES ('6f1c2a9e-0b7d-4e55-9d3a-2f4b8c1d0e11', 'creation', now(), 'Success', 'd', 'od', 'o', 'a', pg_temp.obj(), 'test.edu/bag1', pg_temp.inst(), 3, sha256('c'), sha256('d'))$$, '23505')),
    (pg_temp.expect_error('AUD-46 sequence unique per institution', $$INSERT INTO premis_events (identifier, event_type, date_time, outcome, detail, outcome_detail, object, agent, intellectual_object_id, intellectual_object_identifier, institution_id, sequence, entry_hash, chain_hash) VALUES (gen_random_uuid(), 'creation', now(), 'Success', 'd', 'od', 'o', 'a', pg_temp.obj(), 'test.edu/bag1', pg_temp.inst(), 1, sha256('c'), sha256('d'))$$, '23505')),
    (pg_temp.expect_error('AUD-43 entry_hash 32 bytes', $$INSERT INTO premis_events (identifier, event_type, date_time, outcome, detail, outcome_detail, object, agent, intellectual_object_id, intellectual_object_identifier, institution_id, sequence, entry_hash, chain_hash) VALUES (gen_random_uuid(), 'creation', now(), 'Success', 'd', 'od', 'o', 'a', pg_temp.obj(), 'test.edu/bag1', pg_temp.inst(), 3, '\x00', sha256('d'))$$, '23514')),
    (pg_temp.expect_error('API-70 file id without file identifier', $$INSERT INTO premis_events (identifier, event_type, date_time, outcome, detail, outcome_detail, object, agent, intellectual_object_id, intellectual_object_identifier, generic_file_id, institution_id, sequence, entry_hash, chain_hash) VALUES (gen_random_uuid(), 'creation', now(), 'Success', 'd', 'od', 'o', 'a', pg_temp.obj(), 'test.edu/bag1', pg_temp.file(), pg_temp.inst(), 3, sha256('c'), sha256('d'))$$, '23514')),
    (pg_temp.expect_error('DOM-71 event institution must be the object''s', $$INSERT INTO premis_events (identifier, event_type, date_time, outcome, detail, outcome_detail, object, agent, intellectual_object_id, intellectual_object_identifier, institution_id, sequence, entry_hash, chain_hash) VALUES (gen_random_uuid(), 'creation', now(), 'Success', 'd', 'od', 'o', 'a', pg_temp.obj(), 'test.edu/bag1', pg_temp.other_inst(), 1, sha256('c'), sha256('d'))$$, '23503')),
    (pg_temp.expect_error('DOM-71 file identifier under the object', $$INSERT INTO premis_events (identifier, event_type, date_time, outcome, detail, outcome_detail, object, agent, intellectual_object_id, intellectual_object_identifier, generic_file_id, generic_file_identifier, institution_id, sequence, entry_hash, chain_hash) VALUES (gen_random_uuid(), 'creation', now(), 'Success', 'd', 'od', 'o', 'a', pg_temp.obj(), 'test.edu/bag1', pg_temp.file(), 'test.edu/bag2/a', pg_temp.inst(), 3, sha256('c'), sha256('d'))$$, '23514')),
    (pg_temp.expect_error('DOM-4 outcome_information not empty', $$INSERT INTO premis_events (identifier, event_type, date_time, outcome, detail, outcome_detail, outcome_information, object, agent, intellectual_object_id, intellectual_object_identifier, institution_id, sequence, entry_hash, chain_hash) VALUES (gen_random_uuid(), 'creation', now(), 'Success', 'd', 'od', '', 'o', 'a', pg_temp.obj(), 'test.edu/bag1', pg_temp.inst(), 3, sha256('c'), sha256('d'))$$, '23514'))
) t (r);

SELECT r FROM (VALUES
    -- Storage records, work items, states, deletions, notifications, audit log.
    (pg_temp.expect_ok('4.7 primary storage record', $$INSERT INTO storage_records (generic_file_id, url, kind) VALUES (pg_temp.file(), 'https://s3/p/1', 'primary')$$)),
    (pg_temp.expect_error('4.7 (file, url) unique', $$INSERT INTO storage_records (generic_file_id, url, kind) VALUES (pg_temp.file(), 'https://s3/p/1', 'replica')$$, '23505')),
    (pg_temp.expect_error('DOM-43 kind vocabulary', $$INSERT INTO storage_records (generic_file_id, url, kind) VALUES (pg_temp.file(), 'https://s3/p/x', 'Primary')$$, '23514')),
    (pg_temp.expect_error('DOM-33 action vocabulary', $$UPDATE work_items SET action = 'ingest' WHERE id = pg_temp.item()$$, '23514')),
    (pg_temp.expect_error('DOM-34 stage vocabulary', $$UPDATE work_items SET stage = 'Available in s3' WHERE id = pg_temp.item()$$, '23514')),
    (pg_temp.expect_error('DOM-35 status vocabulary', $$UPDATE work_items SET status = 'Expired' WHERE id = pg_temp.item()$$, '23514')),
    (pg_temp.expect_error('4.8 pid >= 0', $$UPDATE work_items SET pid = -1 WHERE id = pg_temp.item()$$, '23514')),
    (pg_temp.expect_error('4.8 size >= 0', $$UPDATE work_items SET size = -1 WHERE id = pg_temp.item()$$, '23514')),
    (pg_temp.expect_error('DOM-66a etag NULL never empty', $$UPDATE work_items SET etag = '' WHERE id = pg_temp.item()$$, '23514')),
    (pg_temp.expect_error('DOM-66a node NULL never empty', $$UPDATE work_items SET node = '' WHERE id = pg_temp.item()$$, '23514')),
    (pg_temp.expect_ok('4.9 work item state', $$INSERT INTO work_item_states (work_item_id, action, state) VALUES (pg_temp.item(), 'Ingest', '\x789c030000000001')$$)),
    (pg_temp.expect_error('4.9 one state per item', $$INSERT INTO work_item_states (work_item_id, action, state) VALUES (pg_temp.item(), 'Ingest', '\x789c030000000001')$$, '23505')),
    (pg_temp.expect_ok('4.10 deletion request', $$INSERT INTO deletion_requests (institution_id, kind, requested_by_id, token_hash, token_expires_at) VALUES (pg_temp.inst(), 'object', pg_temp.usr(), sha256('tok'), now() + interval '72 hours')$$)),
    (pg_temp.expect_error('DOM-41 expired is derived, not stored', $$INSERT INTO deletion_requests (institution_id, kind, status, requested_by_id) VALUES (pg_temp.inst(), 'object', 'expired', pg_temp.usr())$$, '23514')),
    (pg_temp.expect_error('DOM-42 kind vocabulary', $$INSERT INTO deletion_requests (institution_id, kind, requested_by_id) VALUES (pg_temp.inst(), 'objects', pg_temp.usr())$$, '23514')),
    (pg_temp.expect_error('4.10 token hash 32 bytes', $$INSERT INTO deletion_requests (institution_id, kind, requested_by_id, token_hash, token_expires_at) VALUES (pg_temp.inst(), 'file', pg_temp.usr(), '\xab', now())$$, '23514')),
    (pg_temp.expect_error('DOM-126 completed needs completed_at', $$UPDATE deletion_requests SET status = 'completed' WHERE institution_id = pg_temp.inst()$$, '23514')),
    (pg_temp.expect_ok('4.10 join table rows', $$INSERT INTO deletion_request_objects (deletion_request_id, intellectual_object_id) SELECT id, pg_temp.obj() FROM deletion_requests WHERE institution_id = pg_temp.inst()$$)),
    (pg_temp.expect_error('4.10 join table unique', $$INSERT INTO deletion_request_objects (deletion_request_id, intellectual_object_id) SELECT id, pg_temp.obj() FROM deletion_requests WHERE institution_id = pg_temp.inst()$$, '23505')),
    (pg_temp.expect_ok('DOM-45 welcome notification', $$INSERT INTO notifications (notification_type, institution_id, recipients, subject, body) VALUES ('welcome', pg_temp.inst(), ARRAY['admin@test.edu'], 's', 'b')$$)),
    (pg_temp.expect_error('DOM-45 notification type vocabulary', $$INSERT INTO notifications (notification_type, institution_id, recipients, subject, body) VALUES ('digest', pg_temp.inst(), ARRAY['a@b.cd'], 's', 'b')$$, '23514')),
    (pg_temp.expect_error('DOM-44 notification status vocabulary', $$INSERT INTO notifications (notification_type, institution_id, subject, body, status) VALUES ('welcome', pg_temp.inst(), 's', 'b', 'queued')$$, '23514')),
    (pg_temp.expect_error('DOM-141a notification institution required', $$INSERT INTO notifications (notification_type, subject, body) VALUES ('welcome', 's', 'b')$$, '23502')),
    (pg_temp.expect_error('4.12 auth_method format', $$INSERT INTO audit_log (request_id, auth_method, action) VALUES ('r', 'api_key', 'x.y')$$, '23514')),
    (pg_temp.expect_error('4.12 details is an object', $$INSERT INTO audit_log (request_id, auth_method, action, details) VALUES ('r', 'none', 'x.y', '[]')$$, '23514')),
    (pg_temp.expect_ok('DOM-83 rate-limit claim', $$INSERT INTO audit_rate_limits (key, last_written_at) VALUES ('a@b.cd|127.0.0.1|GET /api/v2/items', now()) ON CONFLICT (key) DO UPDATE SET last_written_at = excluded.last_written_at WHERE audit_rate_limits.last_written_at <= now() - interval '1 minute'$$))
) t (r);

-- The uuid type returns the identifier in lower case (DOM-15) and the chain head default is 32
-- zero bytes (AUD-43).
SELECT CASE WHEN identifier::text = '6f1c2a9e-0b7d-4e55-9d3a-2f4b8c1d0e11' THEN 'ok  DOM-15 uuid stored lower-case'
            ELSE pg_temp.fail('DOM-15 uuid not lower-case') END AS r
FROM premis_events WHERE sequence = 1 AND institution_id = pg_temp.inst();
SELECT CASE WHEN chain_hash = decode(repeat('00', 32), 'hex') AND sequence = 0 THEN 'ok  AUD-43 empty head is sequence 0, 32 zero bytes'
            ELSE pg_temp.fail('AUD-43 head default') END AS r
FROM event_chain_heads WHERE institution_id = pg_temp.other_inst();

-- =============================================================================================
-- Part C: query plans on the volume data
-- =============================================================================================
\echo '== Part C: plans (literal values)'
SELECT identifier AS some_object FROM intellectual_objects WHERE id = 123457 \gset
SELECT identifier AS some_file, id AS some_file_id FROM generic_files WHERE id = 654321 \gset
SELECT id AS some_inst FROM institutions WHERE identifier = 'inst7.edu' \gset

SELECT * FROM pg_temp.check_plan('W5 queue poller: queued=false&status=Pending&retry=true&node_empty=true',
    $$SELECT * FROM work_items WHERE queued_at IS NULL AND status = 'Pending' AND retry = true AND node IS NULL
      ORDER BY date DESC, id DESC LIMIT 101$$, 'work_items_queue_poll_idx');
SELECT * FROM pg_temp.check_plan('W2 bucket reader: item_action=Ingest&name=&etag=',
    $$SELECT * FROM work_items WHERE action = 'Ingest' AND name = 'bag-1234.tar' AND etag = md5('etag1234')
      ORDER BY date DESC, id DESC LIMIT 2$$, 'work_items_name_etag_idx');
SELECT * FROM pg_temp.check_plan('work items of an institution, sort date',
    format($$SELECT * FROM work_items WHERE institution_id = %s ORDER BY date DESC, id DESC LIMIT 11$$, :some_inst),
    'work_items_institution_date_idx');
SELECT * FROM pg_temp.check_plan('work items, admin, sort date',
    $$SELECT * FROM work_items ORDER BY date DESC, id DESC LIMIT 11$$, 'work_items_date_idx');
SELECT * FROM pg_temp.check_plan('work items object_identifier= (DOM-78 last ingested version)',
    format($$SELECT * FROM work_items WHERE action = 'Ingest' AND object_identifier = %L
        AND status = 'Success' AND stage IN ('Record', 'Cleanup') ORDER BY date DESC, id DESC LIMIT 1$$, :'some_object'),
    'work_items_object_identifier_idx');
SELECT * FROM pg_temp.check_plan('DOM-102 pending work for an object',
    format($$SELECT id FROM work_items WHERE status IN ('Pending', 'Started')
        AND action IN ('Ingest', 'Restore', 'Glacier Restore', 'Delete')
        AND (object_identifier = %L
             OR (action = 'Ingest' AND institution_id = %s
                 AND (name = 'bag-123457.tar' OR (name LIKE 'bag-123457.b%%' AND name ~ '^bag-123457\.b[0-9]+\.of[0-9]+\.tar$'))))
      LIMIT 1$$, :'some_object', :some_inst), 'work_items_(object_identifier|name_etag|status_queued)_idx');
SELECT * FROM pg_temp.check_plan('alerts: failed ingests since 24 h',
    $$SELECT * FROM work_items WHERE status = 'Failed' AND action = 'Ingest' AND updated_at >= now() - interval '24 hours'
      ORDER BY updated_at DESC, id DESC LIMIT 100$$, 'work_items_status_action_updated_idx');
SELECT * FROM pg_temp.check_plan('alerts: stalled items',
    $$SELECT * FROM work_items WHERE status IN ('Pending', 'Started') AND queued_at < now() - interval '12 hours'
      ORDER BY updated_at DESC, id DESC LIMIT 100$$, 'work_items_status_queued_idx');

SELECT * FROM pg_temp.check_plan('W8 object by identifier',
    format($$SELECT * FROM intellectual_objects WHERE identifier = %L$$, :'some_object'), 'intellectual_objects_identifier_key');
SELECT * FROM pg_temp.check_plan('objects of an institution, default sort date',
    format($$SELECT * FROM intellectual_objects WHERE institution_id = %s AND state = 'A'
      ORDER BY updated_at DESC, id DESC LIMIT 11$$, :some_inst), 'intellectual_objects_institution_updated_idx');
SELECT * FROM pg_temp.check_plan('objects, admin, default sort date',
    $$SELECT * FROM intellectual_objects WHERE state = 'A' ORDER BY updated_at DESC, id DESC LIMIT 11$$,
    'intellectual_objects_updated_idx');
SELECT * FROM pg_temp.check_plan('objects of an institution, sort created',
    format($$SELECT * FROM intellectual_objects WHERE institution_id = %s ORDER BY created_at DESC, id DESC LIMIT 11$$, :some_inst),
    'intellectual_objects_institution_created_idx');
SELECT * FROM pg_temp.check_plan('objects of an institution, sort identifier',
    format($$SELECT * FROM intellectual_objects WHERE institution_id = %s ORDER BY identifier, id LIMIT 11$$, :some_inst),
    'intellectual_objects_institution_identifier_id_key');
SELECT * FROM pg_temp.check_plan('objects identifier_like (API-47)',
    $$SELECT * FROM intellectual_objects WHERE identifier ILIKE '%bag-12345%' ORDER BY updated_at DESC, id DESC LIMIT 11$$,
    'intellectual_objects_identifier_trgm_idx');
SELECT * FROM pg_temp.check_plan('objects title_like (API-47)',
    $$SELECT * FROM intellectual_objects WHERE title ILIKE '%' || md5('777') || '%' LIMIT 11$$,
    'intellectual_objects_title_trgm_idx');

SELECT * FROM pg_temp.check_plan('8.3 fixity queue: not_checked_since&storage_option=Standard&sort=last_fixity_check',
    $$SELECT * FROM generic_files WHERE state = 'A' AND storage_option = 'Standard'
        AND last_fixity_check <= now() - interval '90 days' ORDER BY last_fixity_check, id LIMIT 101$$,
    'generic_files_fixity_queue_idx');
SELECT * FROM pg_temp.check_plan('AUD-30 overdue, no storage_option',
    $$SELECT * FROM generic_files WHERE state = 'A' AND last_fixity_check < now() - interval '100 days'
      ORDER BY last_fixity_check, id LIMIT 11$$, 'generic_files_active_fixity_idx');
SELECT * FROM pg_temp.check_plan('W16 file by identifier',
    format($$SELECT * FROM generic_files WHERE identifier = %L$$, :'some_file'), 'generic_files_identifier_key');
SELECT * FROM pg_temp.check_plan('files of an object by identifier (W22 check with state=A)',
    format($$SELECT f.* FROM generic_files f WHERE f.intellectual_object_id =
        (SELECT id FROM intellectual_objects WHERE identifier = %L) AND f.state = 'A'
      ORDER BY f.identifier, f.id LIMIT 3$$, :'some_object'), 'generic_files_object_identifier_idx');
SELECT * FROM pg_temp.check_plan('files of an institution, default sort identifier',
    format($$SELECT * FROM generic_files WHERE institution_id = %s AND state = 'A' ORDER BY identifier, id LIMIT 11$$, :some_inst),
    'generic_files_institution_identifier_idx');
SELECT * FROM pg_temp.check_plan('files, admin, sort date',
    $$SELECT * FROM generic_files ORDER BY updated_at DESC, id DESC LIMIT 11$$, 'generic_files_updated_idx');
SELECT * FROM pg_temp.check_plan('files identifier_like',
    $$SELECT * FROM generic_files WHERE identifier ILIKE '%bag-4242/data/file-3%' LIMIT 11$$,
    'generic_files_identifier_trgm_idx');

SELECT * FROM pg_temp.check_plan('W15 checksums ?generic_file_identifier=&algorithm=sha256&sort=datetime DESC',
    format($$SELECT c.* FROM checksums c JOIN generic_files f ON f.id = c.generic_file_id
      WHERE f.identifier = %L AND c.algorithm = 'sha256'
      ORDER BY c.datetime DESC, c.id DESC LIMIT 11$$, :'some_file'), 'checksums_file_algorithm_datetime_key');
SELECT * FROM pg_temp.check_plan('checksums, admin, default sort datetime DESC',
    $$SELECT * FROM checksums ORDER BY datetime DESC, id DESC LIMIT 11$$, 'checksums_datetime_idx');
SELECT * FROM pg_temp.check_plan('checksums digest=',
    format($$SELECT * FROM checksums WHERE digest = md5(%L)$$, :'some_file'), 'checksums_digest_idx');

SELECT * FROM pg_temp.check_plan('W20 / AUD-4 events by object_identifier, per_page=500',
    format($$SELECT e.* FROM premis_events e WHERE e.intellectual_object_id =
        (SELECT id FROM intellectual_objects WHERE identifier = %L)
      ORDER BY e.date_time DESC, e.id DESC LIMIT 501$$, :'some_object'), 'premis_events_object_date_time_idx');
SELECT * FROM pg_temp.check_plan('AUD-4 events by file_identifier',
    format($$SELECT e.* FROM premis_events e WHERE e.generic_file_id =
        (SELECT id FROM generic_files WHERE identifier = %L)
      ORDER BY e.date_time DESC, e.id DESC LIMIT 101$$, :'some_file'), 'premis_events_file_date_time_idx');
SELECT * FROM pg_temp.check_plan('AUD-4 events by institution + 1-day date_time range',
    format($$SELECT * FROM premis_events WHERE institution_id = %s
        AND date_time >= now() - interval '31 days' AND date_time < now() - interval '30 days'
      ORDER BY date_time DESC, id DESC LIMIT 101$$, :some_inst), 'premis_events_institution_date_time_idx');
SELECT * FROM pg_temp.check_plan('events, admin, default sort date',
    $$SELECT * FROM premis_events ORDER BY date_time DESC, id DESC LIMIT 11$$, 'premis_events_date_time_idx');
SELECT * FROM pg_temp.check_plan('events of an institution, sort created',
    format($$SELECT * FROM premis_events WHERE institution_id = %s ORDER BY created_at DESC, id DESC LIMIT 11$$, :some_inst),
    'premis_events_institution_created_idx');
SELECT * FROM pg_temp.check_plan('AUD-10 export / AUD-60 verify: chain in sequence order',
    format($$SELECT * FROM premis_events WHERE institution_id = %s AND sequence > 1000 ORDER BY sequence LIMIT 1000$$, :some_inst),
    'premis_events_institution_sequence_key');
SELECT * FROM pg_temp.check_plan('AUD-5 event by identifier',
    $$SELECT * FROM premis_events WHERE identifier = (SELECT identifier FROM premis_events WHERE id = 4711)$$,
    'premis_events_identifier_key');
SELECT * FROM pg_temp.check_plan('8.8 failed fixity alerts since 24 h',
    $$SELECT * FROM premis_events WHERE event_type = 'fixity check' AND outcome IN ('Failed', 'Failure')
        AND created_at >= now() - interval '24 hours' ORDER BY created_at DESC, id DESC LIMIT 100$$,
    'premis_events_type_created_idx');
SELECT * FROM pg_temp.check_plan('DOM-124 latest ingestion event of a file',
    format($$SELECT max(date_time) FROM premis_events WHERE generic_file_id = %s AND event_type = 'ingestion'$$, :some_file_id),
    'premis_events_file_date_time_idx');

SELECT * FROM pg_temp.check_plan('AUD-70 audit log of an institution, newest first',
    format($$SELECT * FROM audit_log WHERE institution_id = %s ORDER BY occurred_at DESC, id DESC LIMIT 11$$, :some_inst),
    'audit_log_institution_occurred_idx');
SELECT * FROM pg_temp.check_plan('AUD-70 audit log resource_identifier=',
    $$SELECT * FROM audit_log WHERE resource_identifier = (SELECT identifier::text FROM premis_events WHERE id = 4712)
      ORDER BY occurred_at DESC, id DESC LIMIT 11$$, 'audit_log_resource_identifier_idx');
SELECT * FROM pg_temp.check_plan('audit log, admin, newest first',
    $$SELECT * FROM audit_log ORDER BY occurred_at DESC, id DESC LIMIT 11$$, 'audit_log_occurred_idx');
SELECT * FROM pg_temp.check_plan('audit log actor=',
    $$SELECT * FROM audit_log WHERE actor_email = 'nobody@test.edu' ORDER BY occurred_at DESC, id DESC LIMIT 11$$,
    'audit_log_actor_occurred_idx');

-- The application sends parameters ($n) through prepared statements; after five executions
-- PostgreSQL may switch to a generic plan, so the hot queries must use their index there too.
\echo '== Part C: plans (generic plans of prepared statements)'
SET plan_cache_mode = force_generic_plan;
PREPARE events_by_object(text, int) AS
    SELECT e.* FROM premis_events e
    WHERE e.intellectual_object_id = (SELECT id FROM intellectual_objects WHERE identifier = $1)
    ORDER BY e.date_time DESC, e.id DESC LIMIT $2;
PREPARE events_by_institution_range(bigint, timestamptz, timestamptz, int) AS
    SELECT * FROM premis_events WHERE institution_id = $1 AND date_time >= $2 AND date_time < $3
    ORDER BY date_time DESC, id DESC LIMIT $4;
PREPARE fixity_queue(text, timestamptz, int) AS
    SELECT * FROM generic_files WHERE state = 'A' AND storage_option = $1 AND last_fixity_check <= $2
    ORDER BY last_fixity_check, id LIMIT $3;
PREPARE checksums_of_file(text, text, int) AS
    SELECT c.* FROM checksums c JOIN generic_files f ON f.id = c.generic_file_id
    WHERE f.identifier = $1 AND c.algorithm = $2 ORDER BY c.datetime DESC, c.id DESC LIMIT $3;
PREPARE bucket_reader(text, text, text, int) AS
    SELECT * FROM work_items WHERE action = $1 AND name = $2 AND etag = $3
    ORDER BY date DESC, id DESC LIMIT $4;
PREPARE items_of_institution(bigint, int) AS
    SELECT * FROM work_items WHERE institution_id = $1 ORDER BY date DESC, id DESC LIMIT $2;
PREPARE queue_poll(text, boolean, int) AS
    SELECT * FROM work_items WHERE queued_at IS NULL AND status = $1 AND retry = $2 AND node IS NULL
    ORDER BY date DESC, id DESC LIMIT $3;
-- The stalled statuses are part of the alert's definition, so they are literal SQL; only the
-- cutoff is bound. (A bound array `status = ANY($1)` is estimated as matching most rows in a
-- generic plan, which then prefers a sequential scan: keep fixed vocabularies literal.)
PREPARE stalled(timestamptz, int) AS
    SELECT * FROM work_items WHERE status IN ('Pending', 'Started') AND queued_at < $1
    ORDER BY updated_at DESC, id DESC LIMIT $2;
PREPARE items_by_object_identifier(text, int) AS
    SELECT * FROM work_items WHERE object_identifier = $1 ORDER BY date DESC, id DESC LIMIT $2;
PREPARE events_by_file(text, int) AS
    SELECT e.* FROM premis_events e
    WHERE e.generic_file_id = (SELECT id FROM generic_files WHERE identifier = $1)
    ORDER BY e.date_time DESC, e.id DESC LIMIT $2;
PREPARE files_of_object(bigint, text, int) AS
    SELECT * FROM generic_files WHERE intellectual_object_id = $1 AND state = $2
    ORDER BY identifier, id LIMIT $3;

SELECT * FROM pg_temp.check_plan('generic: events by object', format($$EXECUTE events_by_object(%L, 501)$$, :'some_object'),
    'premis_events_object_date_time_idx');
SELECT * FROM pg_temp.check_plan('generic: events by institution + range',
    format($$EXECUTE events_by_institution_range(%s, now() - interval '31 days', now() - interval '30 days', 101)$$, :some_inst),
    'premis_events_institution_date_time_idx');
SELECT * FROM pg_temp.check_plan('generic: fixity queue',
    $$EXECUTE fixity_queue('Standard', now() - interval '90 days', 101)$$, 'generic_files_fixity_queue_idx');
SELECT * FROM pg_temp.check_plan('generic: checksums of a file',
    format($$EXECUTE checksums_of_file(%L, 'sha256', 11)$$, :'some_file'), 'checksums_file_algorithm_datetime_key');
SELECT * FROM pg_temp.check_plan('generic: bucket reader',
    $$EXECUTE bucket_reader('Ingest', 'bag-1234.tar', md5('etag1234'), 2)$$, 'work_items_name_etag_idx');
SELECT * FROM pg_temp.check_plan('generic: items of an institution',
    format($$EXECUTE items_of_institution(%s, 11)$$, :some_inst), 'work_items_institution_date_idx');
SELECT * FROM pg_temp.check_plan('generic: queue poll (status and retry bound)',
    $$EXECUTE queue_poll('Pending', true, 101)$$, 'work_items_queue_poll_idx');
SELECT * FROM pg_temp.check_plan('generic: stalled items (cutoff bound)',
    $$EXECUTE stalled(now() - interval '12 hours', 100)$$, 'work_items_status_queued_idx');
SELECT * FROM pg_temp.check_plan('generic: work items by object_identifier (partial IS NOT NULL index)',
    format($$EXECUTE items_by_object_identifier(%L, 11)$$, :'some_object'), 'work_items_object_identifier_idx');
SELECT * FROM pg_temp.check_plan('generic: events by file (partial IS NOT NULL index)',
    format($$EXECUTE events_by_file(%L, 101)$$, :'some_file'), 'premis_events_file_date_time_idx');
SELECT * FROM pg_temp.check_plan('generic: files of an object, state bound',
    $$EXECUTE files_of_object(123457, 'A', 3)$$, 'generic_files_object_identifier_idx');
RESET plan_cache_mode;

\echo 'schema-smoke: all checks passed'
