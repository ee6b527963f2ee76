import Postgres
import RegistryCore

/// The SQL of the PREMIS export (auditor.md §3). Every query of one object is served by an index
/// (see the migrations): files by generic_files_object_identifier_idx, in FileOrder.withinObject;
/// events by premis_events_object_date_time_idx (intellectual_object_id, date_time, id) and, per
/// file, premis_events_file_date_time_idx; checksums by their natural key's index; storage records
/// by storage_records_file_url_key.
enum PremisQueries {
    /// Column order is the order `PremisDocument.writeIntellectualEntity` reads them in.
    static func object(_ objectID: Int64) -> PGQuery {
        """
        SELECT o.identifier, o.alt_identifier, o.storage_option, o.title, o.access, o.state,
               o.bag_group_identifier, o.bagit_profile_identifier, o.bag_name
        FROM intellectual_objects o WHERE o.id = \(objectID)
        """
    }

    /// Every file of the object, all states, by identifier (AUD-20). Identifiers are unique, so no
    /// `id` tie-breaker.
    static func fileIdentifiers(_ objectID: Int64) -> PGQuery {
        "SELECT f.identifier FROM generic_files f WHERE f.intellectual_object_id = \(objectID) ORDER BY \(FileOrder.withinObject)"
    }

    /// `originalName` is the path inside the bag: the identifier after `<object identifier>/`
    /// (DOM-13; both lengths in characters, as `substr` counts).
    static func files(_ objectID: Int64) -> PGQuery {
        """
        SELECT f.id, f.identifier, f.state, f.size, f.file_format, f.storage_option,
               substr(f.identifier, char_length(f.intellectual_object_identifier) + 2)
        FROM generic_files f WHERE f.intellectual_object_id = \(objectID) ORDER BY \(FileOrder.withinObject)
        """
    }

    static func objectLevelEventIdentifiers(_ objectID: Int64) -> PGQuery {
        """
        SELECT e.identifier FROM premis_events e
        WHERE e.intellectual_object_id = \(objectID) AND e.generic_file_id IS NULL ORDER BY e.date_time, e.id
        """
    }

    /// Column 0 of the nested queries is the file's 1-based position in its batch.
    static func checksums(fileIDs: [Int64]) -> PGQuery {
        """
        SELECT b.pos, c.algorithm, c.digest
        FROM unnest(\(fileIDs)::int8[]) WITH ORDINALITY AS b(file_id, pos)
        JOIN checksums c ON c.generic_file_id = b.file_id
        ORDER BY b.pos, c.datetime, c.id
        """
    }

    /// Current storage records only (DOM-63: a superseded record is history, not a location).
    static func storageRecords(fileIDs: [Int64]) -> PGQuery {
        """
        SELECT b.pos, s.url
        FROM unnest(\(fileIDs)::int8[]) WITH ORDINALITY AS b(file_id, pos)
        JOIN storage_records s ON s.generic_file_id = b.file_id AND s.superseded_at IS NULL
        ORDER BY b.pos, s.id
        """
    }

    /// `IS NOT NULL` lets the planner use the partial index premis_events_file_date_time_idx.
    static func fileEventIdentifiers(fileIDs: [Int64]) -> PGQuery {
        """
        SELECT b.pos, e.identifier
        FROM unnest(\(fileIDs)::int8[]) WITH ORDINALITY AS b(file_id, pos)
        JOIN premis_events e ON e.generic_file_id = b.file_id AND e.generic_file_id IS NOT NULL
        ORDER BY b.pos, e.date_time, e.id
        """
    }

    /// Every event of the object, object- and file-level, by `date_time` then `id` (AUD-20).
    static func events(_ objectID: Int64) -> PGQuery {
        """
        SELECT e.identifier, e.event_type, e.date_time, e.detail, e.outcome, e.outcome_detail,
               e.outcome_information, e.agent, e.object, e.generic_file_identifier, e.intellectual_object_identifier
        FROM premis_events e WHERE e.intellectual_object_id = \(objectID) ORDER BY e.date_time, e.id
        """
    }

    /// AUD-24: each distinct `agent` or `object` string once, in UTF-8 byte order (COLLATE "C",
    /// whatever the database's default collation).
    static func agents(_ objectID: Int64) -> PGQuery {
        """
        SELECT name FROM (
            SELECT e.agent AS name FROM premis_events e WHERE e.intellectual_object_id = \(objectID)
            UNION
            SELECT e.object FROM premis_events e WHERE e.intellectual_object_id = \(objectID)
        ) AS names ORDER BY name COLLATE "C"
        """
    }
}
