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
}
