import Formats

/// The `details` of the audit rows of file writes (domain.md §4.12): counts and identifiers for
/// creates and batches, `changes` for updates, `replayed` for replays (API-65).
enum FileAuditDetails {
    /// A changed field's old and new value.
    enum Value {
        case text(String)
        case integer(Int64)
        case timestamp(Timestamp)

        func write(into writer: inout JSONWriter) {
            switch self {
            case .text(let text): writer.string(text)
            case .integer(let number): writer.int(number)
            case .timestamp(let time): writer.timestamp(time)
            }
        }
    }

    static func create(replayedFile: Bool, checksums: Int, events: Int) -> [UInt8] {
        if replayedFile && checksums == 0 && events == 0 { return AuditEntry.replayedDetails }
        var writer = JSONWriter(capacity: 96)
        writer.beginObject()
        if replayedFile { writer.field("file_replayed", true) }
        writer.field("checksums_created", checksums)
        writer.field("premis_events_created", events)
        writer.endObject()
        return writer.bytes
    }

    /// Counts, and the identifiers of the files this request created.
    static func batch(createdIdentifiers: [String], replayedFiles: Int, checksums: Int, events: Int,
                      everythingReplayed: Bool) -> [UInt8] {
        var writer = JSONWriter(capacity: 256 + createdIdentifiers.reduce(0) { $0 + $1.utf8.count + 3 })
        writer.beginObject()
        if everythingReplayed { writer.field("replayed", true) }
        writer.field("files_created", createdIdentifiers.count)
        writer.field("files_replayed", replayedFiles)
        writer.field("checksums_created", checksums)
        writer.field("premis_events_created", events)
        writer.key("identifiers")
        writer.beginArray()
        for identifier in createdIdentifiers { writer.string(identifier) }
        writer.endArray()
        writer.endObject()
        return writer.bytes
    }

    /// `{"changes": {field: [old, new]}, "checksums_created": n, "premis_events_created": m}`.
    static func update(changes: [(field: String, old: Value, new: Value)], checksums: Int, events: Int) -> [UInt8] {
        var writer = JSONWriter(capacity: 256)
        writer.beginObject()
        writer.key("changes")
        writer.beginObject()
        for change in changes {
            writer.key(change.field)
            writer.beginArray()
            change.old.write(into: &writer)
            change.new.write(into: &writer)
            writer.endArray()
        }
        writer.endObject()
        writer.field("checksums_created", checksums)
        writer.field("premis_events_created", events)
        writer.endObject()
        return writer.bytes
    }
}
