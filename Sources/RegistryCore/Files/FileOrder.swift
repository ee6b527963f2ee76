import Postgres

/// Sort keys that put files in identifier (byte) order and that the indexes of migration 0006
/// hold. A file identifier can be longer than a btree entry (DOM-13: 4,096 bytes), so the indexes
/// keep a 512-character prefix: a query must sort by that prefix first to read an index in order,
/// and PostgreSQL's Incremental Sort then orders the rows that share it. Within one object every
/// identifier starts with "<object identifier>/" (up to 1,025 bytes, DOM-11), which would make the
/// prefix the same for all its files, so the object's index holds the prefix of the path after it:
/// within the object the paths sort as the identifiers do. Each expression must stay the
/// migration's, character for character, or the planner cannot match it to the index.
public enum FileOrder {
    /// Files of one object (`f.intellectual_object_id = …`): generic_files_object_identifier_idx.
    public static let withinObject: PGQuery =
        "left(substr(f.identifier, char_length(f.intellectual_object_identifier) + 2), 512), f.identifier"
    /// Files of an institution or of all institutions: generic_files_institution_identifier_idx and
    /// generic_files_identifier_order_idx.
    public static let acrossObjects: PGQuery = "left(f.identifier, 512), f.identifier"
}
