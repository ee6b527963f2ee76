-- 0002: indexes found missing once the alert, object and event queries were measured on the
-- benchmark dataset (200k objects, 2M files, 6M events).

-- Failed-fixity alerts and the failed_fixity trigger (domain.md §8.8, api-v2.md API-120, API-130):
-- event_type = 'fixity check' AND outcome IN ('Failed','Failure') AND created_at >= since, newest
-- first. The (event_type, created_at) index of 0001 still has to skip every successful check in the
-- window (150–450 ms for 143k checks a day); this one holds only failures (under 1 ms).
CREATE INDEX premis_events_failed_fixity_idx ON premis_events (created_at, id)
    WHERE event_type = 'fixity check' AND outcome IN ('Failed', 'Failure');

-- Admin event lists sorted by insertion time (AUD-3 sort=created) and created_after/before without
-- an institution.
CREATE INDEX premis_events_created_idx ON premis_events (created_at, id);

-- Objects list filter `file_format` (API-90: objects having an active file of that format).
CREATE INDEX generic_files_active_format_idx ON generic_files (file_format, intellectual_object_id)
    WHERE state = 'A';
