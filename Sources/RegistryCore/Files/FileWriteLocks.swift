import Postgres

/// Rows are locked `FOR NO KEY UPDATE`, here and wherever a writer locks a row other rows point
/// to (objects, files, work items, deletion requests, institutions): it serializes the writers just
/// as `FOR UPDATE` does, but does not block the `FOR KEY SHARE` of a foreign-key check, so an insert
/// of a checksum or event for a locked file neither waits for that writer nor deadlocks with it
/// (a `POST /checksums` racing a `PUT /files` with the same checksum once ended in a 500).
///
/// The row locks a file write takes, always in this order so that two writers cannot deadlock:
/// the institution's chain head (only when events will be appended), then the object, then the
/// file. `EventStore.append` locks the chain head first too (AUD-45), and its fixity side effect
/// updates file rows while holding it; a file update that locked its file row before the chain
/// head could deadlock against a concurrent `POST /events` for the same file.
enum FileWriteLocks {
    /// The object as locked: what the write rules need.
    struct LockedObject {
        let state: String
        let storageOption: String
    }

    /// The same statement the event append sends before its insert (`EventRows.lockQuery`, with
    /// its AUD-45 guard), so the lock has one text and one prepared statement per session.
    static func chainHead(institutionID: Int64, on connection: PGConnection) throws {
        _ = try connection.query(EventRows.lockQuery(institutionID: institutionID))
    }

    /// Locks the object row (`FOR NO KEY UPDATE`: DOM-70 updates it in the same transaction).
    static func object(id: Int64, on connection: PGConnection) throws -> LockedObject {
        let result = try connection.query("""
            SELECT state, storage_option FROM intellectual_objects WHERE id = \(id) FOR NO KEY UPDATE
            """)
        guard result.rowCount == 1 else {
            throw PGError(kind: .other, message: "object \(id) vanished (objects are never deleted)")
        }
        return LockedObject(state: result.string(0, 0) ?? "", storageOption: result.string(0, 1) ?? "Standard")
    }
}

/// DOM-70: `file_count` and `file_size` of an object follow its active files.
enum ObjectFileCounts {
    /// Adds `count` files and `size` bytes (negative to remove). Incremental rather than a recount:
    /// a recount reads every file of the object, which for a 10,000-file object ingested in batches
    /// of 100 is a million row reads per ingest. The object row is locked by the caller
    /// (`FileWriteLocks.object`), so concurrent writers apply their deltas one after the other.
    static func adjust(objectID: Int64, count: Int64, size: Int64, on connection: PGConnection) throws {
        guard count != 0 || size != 0 else { return }
        do {
            _ = try connection.query("""
                UPDATE intellectual_objects SET file_count = file_count + \(count), file_size = file_size + \(size)
                WHERE id = \(objectID)
                """)
        } catch {  // typed: `query` throws PGError only
            // 22003: bigint overflow of the object's total, so the request's sizes are absurd.
            if error.sqlState == "22003" { throw Self.sizeTooLarge() }
            throw error
        }
    }

    /// The total of `sizes`, for `adjust`. Swift traps on overflow (which would stop the process),
    /// so a sum past Int64 is the same 422 as a total the database cannot hold.
    static func total(_ sizes: [Int64]) throws -> Int64 {
        var sum: Int64 = 0
        for size in sizes {
            let (partial, overflow) = sum.addingReportingOverflow(size)
            if overflow { throw Self.sizeTooLarge() }
            sum = partial
        }
        return sum
    }

    static func sizeTooLarge() -> RegistryError {
        .validation(FieldErrors("size", "makes the object's file_size larger than \(Int64.max)"))
    }
}

/// API-65: two identical creates racing each other must give one row and two 201s. The loser's
/// insert waits on the natural key's unique index and then fails; re-running its whole
/// transaction once finds the winner's committed rows and answers as a replay. A file identifier's
/// uniqueness is an exclusion constraint over a hash index (migration 0006: identifiers longer than
/// a btree entry), which fails the loser with 23P01 where the unique indexes give 23505.
enum UniqueRace {
    static let naturalKeys: Set<String> = [
        "generic_files_identifier_key", "checksums_file_algorithm_datetime_key", "premis_events_identifier_key",
    ]

    /// Thrown by a transaction that found the race lost some other way than on an index (the row
    /// appeared between two of its statements); it rolls back and runs again like the index's loser.
    struct Lost: Error {}

    static func retryingOnce<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as PGError where error.isKeyConflict && naturalKeys.contains(error.constraint ?? "") {
            return try body()
        } catch is Lost {
            return try body()
        } catch let error as PGError where error.kind == .deadlock {
            // PostgreSQL rolled this transaction back to break a lock cycle: once more, as the loser.
            return try body()
        }
    }
}
