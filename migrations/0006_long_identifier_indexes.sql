-- 0006: every identifier the spec allows fits its indexes (DOM-13: a file identifier of up to 4096
-- bytes; DOM-6/DOM-12: a bag_name of up to 65,535).
--
-- Why: a btree entry holds at most 2704 bytes after pglz compression (a third of an 8 kB page).
-- Until now a file identifier of about 2.7 kB or more that does not compress (random names, hex
-- digests in paths) was refused with SQLSTATE 54000 by the btree indexes below, although DOM-13
-- allows 4096 bytes. Each index is replaced by one that never holds the whole long value:
--
--   * equality (uniqueness, `identifier=` lookups, the worker filters): hash indexes. A hash index
--     stores a 4-byte hash per row, whatever the value's length, and answers `=` and `= ANY(...)`
--     (bitmap scan) as a btree does. DOM-13's uniqueness becomes an exclusion constraint over the
--     hash index with the same name as the old unique index: a concurrent duplicate waits for the
--     other transaction exactly as before and then fails with SQLSTATE 23P01 instead of 23505
--     (the application treats both as the natural key's race, API-65).
--   * order (`sort=identifier`, files of an object by identifier, `sort=name` by bag_name): btrees
--     on the first 512 characters (at most 2048 bytes). Under COLLATE "C" the byte order of the
--     prefixes agrees with the byte order of the whole values, so the queries sort by
--     `left(x, 512), x`: the index gives the first key and PostgreSQL's Incremental Sort orders
--     the rows that share a 512-character prefix. Within one object every file identifier starts
--     with "<object identifier>/", which may itself be 1,024 bytes long (DOM-11), so the object's
--     index holds the prefix of the path after it (the same order within the object). A query
--     that sorts by `x` alone cannot use these indexes; the application's keys are in FileOrder
--     (RegistryCore) and must stay these expressions. Do not "tidy" these back to plain btrees.
--
-- Locks: every statement here takes its table's ACCESS EXCLUSIVE lock until the migration commits
-- (about 20 s for 2 million files and 260,000 objects on the benchmark machine), so run it in a
-- quiet moment. lock_timeout makes it fail at once, rather than queue every request behind it,
-- when a long transaction of a running instance (an export) still holds one of the tables; run it
-- again then.
SET LOCAL lock_timeout = '10s';
--
-- Not changed: storage_records (generic_file_id, url) stays a unique btree (ON CONFLICT … DO
-- UPDATE needs a unique index); a url comes from a file `uri` (at most 2048 bytes, domain.md) or from a
-- replication event's outcome_detail, and one that does not fit is still refused as 422.

-- generic_files.identifier (DOM-13): unique, `identifier=` and the workers' GET by identifier.
DROP INDEX generic_files_identifier_key;
ALTER TABLE generic_files
    ADD CONSTRAINT generic_files_identifier_key EXCLUDE USING hash (identifier WITH =);
-- Admin file list sorted by identifier.
CREATE INDEX generic_files_identifier_order_idx ON generic_files (left(identifier, 512));
-- Files of an object by identifier (default sort, API-71 nested lists, DOM-123's check, the
-- PREMIS listings, the object page); DOM-70 recounts and FK lookups use its first column.
DROP INDEX generic_files_object_identifier_idx;
CREATE INDEX generic_files_object_identifier_idx
    ON generic_files (intellectual_object_id, left(substr(identifier, char_length(intellectual_object_identifier) + 2), 512));
-- Tenant-scoped file list, default sort identifier.
DROP INDEX generic_files_institution_identifier_idx;
CREATE INDEX generic_files_institution_identifier_idx
    ON generic_files (institution_id, left(identifier, 512));

-- intellectual_objects.bag_name (DOM-12: stored as sent, free text): `bag_name=` and sort=name.
DROP INDEX intellectual_objects_bag_name_idx;
CREATE INDEX intellectual_objects_bag_name_idx ON intellectual_objects USING hash (bag_name);
CREATE INDEX intellectual_objects_bag_name_order_idx ON intellectual_objects (left(bag_name, 512));

-- work_items.generic_file_identifier: the `generic_file_identifier=` filter and DOM-113 lookups.
DROP INDEX work_items_generic_file_identifier_idx;
CREATE INDEX work_items_generic_file_identifier_idx ON work_items USING hash (generic_file_identifier)
    WHERE generic_file_identifier IS NOT NULL;

-- audit_log.resource_identifier (AUD-70: "what happened to this object/file"; a file's identifier).
DROP INDEX audit_log_resource_identifier_idx;
CREATE INDEX audit_log_resource_identifier_idx ON audit_log USING hash (resource_identifier)
    WHERE resource_identifier IS NOT NULL;
