import Formats
import RegistryCore

/// A field of a request body: not sent, sent as `null`, or sent with a usable value. Updates leave
/// absent fields unchanged and clear nullable ones on `null` (API-107), so the three must differ.
public enum Field<Value> {
    case absent
    case null
    case value(Value)

    public var value: Value? {
        if case .value(let value) = self { return value }
        return nil
    }

    public var isAbsent: Bool {
        if case .absent = self { return true }
        return false
    }
}

/// Reads typed fields from one JSON record and collects every problem (API-52: all field errors
/// of a record at once), with the messages of api-v2.md API-25/26 and domain.md DOM-2..6.
public struct FieldReader {
    public let record: JSONObject
    /// Prepended to field names in errors (`checksums[0].`, `files[3].`).
    public let prefix: String
    public var errors = FieldErrors()

    /// DOM-6: free text limit.
    public static let maxTextBytes = 65_535

    public init(_ record: JSONObject, prefix: String = "") {
        self.record = record
        self.prefix = prefix
    }

    public mutating func fail(_ key: String, _ message: String) {
        errors.add(prefix + key, message)
    }

    // MARK: Strings

    /// A string field as sent (type, NUL and length checked); `""` stays `""`.
    public mutating func rawString(_ key: String, maxBytes: Int = FieldReader.maxTextBytes) -> Field<String> {
        guard let value = record[key] else { return .absent }
        switch value {
        case .null: return .null
        case .string(let text):
            if text.utf8.contains(0) {
                fail(key, "is invalid")
                return .absent
            }
            if text.utf8.count > maxBytes {
                fail(key, "is too long")
                return .absent
            }
            return .value(text)
        default:
            fail(key, "must be a string")
            return .absent
        }
    }

    /// A required string (DOM-4: absent, null, empty or all-whitespace → `can't be blank`).
    public mutating func requiredString(_ key: String, maxBytes: Int = FieldReader.maxTextBytes) -> String? {
        let before = errors.entries.count
        switch rawString(key, maxBytes: maxBytes) {
        case .value(let text) where !Self.isBlank(text):
            return text
        default:
            if errors.entries.count == before { fail(key, "can't be blank") }
            return nil
        }
    }

    /// An optional string: `""` (and `null`) mean "no value" (DOM-4), reported as `.null`.
    public mutating func optionalString(_ key: String, maxBytes: Int = FieldReader.maxTextBytes) -> Field<String> {
        switch rawString(key, maxBytes: maxBytes) {
        case .value(let text) where text.isEmpty: return .null
        case let other: return other
        }
    }

    /// A value from a closed vocabulary (domain.md §3).
    public mutating func vocabulary(_ key: String, _ allowed: Set<String>, required: Bool) -> Field<String> {
        let field: Field<String>
        if required {
            guard let text = requiredString(key) else { return .absent }
            field = .value(text)
        } else {
            field = optionalString(key)
        }
        if case .value(let text) = field, !allowed.containsExactly(text) {
            fail(key, "is not included in the list")
            return .absent
        }
        return field
    }

    // MARK: Numbers and booleans

    /// A JSON integer within Int64 (API-25); `1.0` and `1e2` are not integers.
    public mutating func integer(_ key: String) -> Field<Int64> {
        guard let value = record[key] else { return .absent }
        switch value {
        case .null: return .null
        case .number(let number):
            if let integer = number.int64 { return .value(integer) }
            fail(key, "must be an integer")
            return .absent
        default:
            fail(key, "must be an integer")
            return .absent
        }
    }

    public mutating func boolean(_ key: String) -> Field<Bool> {
        guard let value = record[key] else { return .absent }
        switch value {
        case .null: return .null
        case .bool(let flag): return .value(flag)
        default:
            fail(key, "must be a boolean")
            return .absent
        }
    }

    /// API-24: a reference id of `0` or `null` is treated as absent.
    public mutating func referenceID(_ key: String) -> Int64? {
        switch integer(key) {
        case .value(let id) where id != 0: return id
        default: return nil
        }
    }

    // MARK: Timestamps

    /// API-26: RFC 3339, truncated to microseconds (DOM-2), with a fraction of any length (within
    /// the text limit; anything that does not parse, however long, `is invalid`). The Go zero time
    /// reads as `null` (DOM-3).
    public mutating func timestamp(_ key: String) -> Field<Timestamp> {
        switch rawString(key, maxBytes: Int.max) {
        case .absent: return .absent
        case .null: return .null
        case .value(let text):
            guard text.utf8.count <= FieldReader.maxTextBytes, let timestamp = Timestamp(rfc3339: text) else {
                fail(key, "is invalid")
                return .absent
            }
            return timestamp.isGoZeroTime ? .null : .value(timestamp)
        }
    }

    /// A required timestamp: absent, null and the Go zero time are 422 (`can't be blank` / `is invalid`).
    public mutating func requiredTimestamp(_ key: String) -> Timestamp? {
        let before = errors.entries.count
        let field = timestamp(key)
        if case .value(let timestamp) = field { return timestamp }
        if errors.entries.count == before {
            if let raw = record[key], case .string(let text) = raw, Timestamp(rfc3339: text)?.isGoZeroTime == true {
                fail(key, "is invalid")
            } else {
                fail(key, "can't be blank")
            }
        }
        return nil
    }

    private static func isBlank(_ text: String) -> Bool {
        text.unicodeScalars.allSatisfy { $0.properties.isWhitespace }
    }
}
