-- 0005: performance — the trigram GIN indexes of the `*_like` filters (API-47) flush their pending
-- list in small steps.
--
-- Why: GIN's fast update appends new entries to a pending list and merges the list into the index
-- once it exceeds gin_pending_list_limit (default 4 MB) — in the foreground, inside the insert that
-- crossed the limit, while other inserts into the table wait. A create_batch adds about 8,000
-- trigrams to generic_files_identifier_trgm_idx (100 file identifiers), so under ingest load the
-- 4 MB list filled every few seconds and each merge stalled every writer of the table, and through
-- the pool every request, for about a second. `make load-test` (OPS-75, 30 clients on a fresh
-- database, 25 s, 2 cores): create_batch max 2.5 s and p99 1.4 s, 104 requests over 500 ms; with a
-- 256 kB limit max 0.79 s and p99 0.58 s, 13 requests over 500 ms. (`fastupdate = off` removes the
-- merges but makes every batch pay the full index insertion: p50 335 ms instead of 246 ms.)
-- Autovacuum still empties the lists in the background; this only bounds what a merge can cost.
-- Do not "tidy" this back to the default.
ALTER INDEX generic_files_identifier_trgm_idx SET (gin_pending_list_limit = 256);
ALTER INDEX intellectual_objects_identifier_trgm_idx SET (gin_pending_list_limit = 256);
ALTER INDEX intellectual_objects_title_trgm_idx SET (gin_pending_list_limit = 256);
