/// One parsed JSON value (RFC 8259), as produced by `JSONParser`.
///
/// Request handlers check each field's JSON type themselves (api-v2.md API-25) so that every field
/// error of a record can be reported at once (API-52); the accessors below return `nil` for a value
/// of another kind, which keeps "absent" (`JSONObject[key] == nil`), "null" (`isNull`) and "wrong
/// type" apart without any decoding machinery.
///
/// Equality is structural and exact: strings and object keys compare by their UTF-8 bytes, not by
/// Swift's canonical-equivalence `String ==` (domain.md DOM-5), numbers compare by their lexeme
/// (`1.0` differs from `1`), and object members compare in order, duplicates included.
public enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case number(JSONNumber)
    case string(String)
    case array([JSONValue])
    case object(JSONObject)

    /// The members if this is an object, otherwise `nil`.
    public var objectValue: JSONObject? {
        if case .object(let object) = self { return object }
        return nil
    }

    /// The elements if this is an array, otherwise `nil`.
    public var arrayValue: [JSONValue]? {
        if case .array(let elements) = self { return elements }
        return nil
    }

    /// The text if this is a string, otherwise `nil`.
    public var stringValue: String? {
        if case .string(let text) = self { return text }
        return nil
    }

    /// The number if this is a number, otherwise `nil`.
    public var numberValue: JSONNumber? {
        if case .number(let number) = self { return number }
        return nil
    }

    /// The boolean if this is `true` or `false`, otherwise `nil`.
    public var boolValue: Bool? {
        if case .bool(let flag) = self { return flag }
        return nil
    }

    /// Whether this is the JSON literal `null`.
    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }

    public static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null):
            return true
        case (.bool(let left), .bool(let right)):
            return left == right
        case (.number(let left), .number(let right)):
            return left == right
        case (.string(let left), .string(let right)):
            return utf8BytesEqual(left, right)
        case (.array(let left), .array(let right)):
            return left == right
        case (.object(let left), .object(let right)):
            return left == right
        default:
            return false
        }
    }
}

/// Whether two strings have identical UTF-8 bytes.
///
/// Swift's `String ==` uses canonical equivalence (`"\u{212A}" == "K"`), which DOM-5 forbids for
/// registry comparisons; this compares code units. Native strings expose contiguous UTF-8, so the
/// common case is a length check plus one `memcmp`-like loop.
@inlinable
func utf8BytesEqual(_ lhs: String, _ rhs: String) -> Bool {
    guard lhs.utf8.count == rhs.utf8.count else { return false }
    return withUTF8Bytes(of: lhs) { left in
        withUTF8Bytes(of: rhs) { right in
            left.elementsEqual(right)
        }
    }
}
