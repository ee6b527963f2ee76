/// A JSON object: its members in document order, duplicates included.
///
/// Duplicate keys: RFC 8259 leaves their meaning open. Here `members` keeps every occurrence, and
/// lookups (`subscript`, `contains`) see the LAST occurrence of a key — the behaviour of most JSON
/// libraries (and of Pharos' Rails parser), so a client that repeats a key gets its final value.
///
/// Keys match by UTF-8 bytes, never by canonical equivalence (domain.md DOM-5): `"\u{212A}"`
/// (KELVIN SIGN) does not find the member `"K"`.
public struct JSONObject: Sendable, Equatable {
    /// Every member in document order, including repeated keys.
    public let members: [(key: String, value: JSONValue)]

    /// Creates an object from members in document order.
    public init(members: [(key: String, value: JSONValue)]) {
        self.members = members
    }

    /// The value of the last member named `key`, or `nil` if there is none. A member whose value is
    /// `null` returns `.null` (present), not `nil` (absent).
    ///
    /// Performance: a backwards linear scan. Request records have a few dozen members and handlers
    /// read a fixed set of fields, so this stays linear in the body size and allocates nothing; a
    /// hash index would cost more to build than it saves, and `String` hashing follows canonical
    /// equivalence, which DOM-5 rules out anyway.
    public subscript(key: String) -> JSONValue? {
        guard let index = lastIndex(of: key) else { return nil }
        return members[index].value
    }

    /// Whether any member is named `key`.
    public func contains(_ key: String) -> Bool {
        lastIndex(of: key) != nil
    }

    /// The member names in document order, duplicates included (one entry per member).
    public var keys: [String] {
        members.map(\.key)
    }

    /// Whether the object has no members.
    public var isEmpty: Bool { members.isEmpty }

    /// The number of members, duplicates included.
    public var count: Int { members.count }

    private func lastIndex(of key: String) -> Int? {
        var index = members.count - 1
        while index >= 0 {
            if utf8BytesEqual(members[index].key, key) { return index }
            index -= 1
        }
        return nil
    }

    public static func == (lhs: JSONObject, rhs: JSONObject) -> Bool {
        guard lhs.members.count == rhs.members.count else { return false }
        for (left, right) in zip(lhs.members, rhs.members) {
            guard utf8BytesEqual(left.key, right.key), left.value == right.value else { return false }
        }
        return true
    }
}
