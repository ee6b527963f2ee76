import Formats

/// Builders for the `details` JSON of audit rows.
public enum AuditDetails {
    /// A flat object of string members, in the given order.
    public static func object(_ members: KeyValuePairs<String, String>) -> [UInt8] {
        var writer = JSONWriter(capacity: 64)
        writer.beginObject()
        for (key, value) in members {
            writer.key(key)
            writer.string(value)
        }
        writer.endObject()
        return writer.bytes
    }

    /// `{"changes": {field: [old, new]}}` for updates (domain.md §4.12); nil values are JSON null.
    public static func changes(_ changes: [(field: String, old: String?, new: String?)]) -> [UInt8] {
        var writer = JSONWriter(capacity: 128)
        writer.beginObject()
        writer.key("changes")
        writer.beginObject()
        for change in changes {
            writer.key(change.field)
            writer.beginArray()
            if let old = change.old { writer.string(old) } else { writer.null() }
            if let new = change.new { writer.string(new) } else { writer.null() }
            writer.endArray()
        }
        writer.endObject()
        writer.endObject()
        return writer.bytes
    }
}
