/// One `name=value` piece of a query string, kept both raw (for links) and form-decoded.
public struct QueryItem: Sendable, Equatable {
    /// The whole piece between `&`s, exactly as sent (`sort=datetime+DESC`).
    public let rawPiece: Substring
    public let rawName: Substring
    /// Empty when the piece has no `=`.
    public let rawValue: Substring
    public let name: String
    public let value: String
}

/// A parsed query string (api-v2.md API-42, API-45, API-45a, API-48).
///
/// Items keep their order and repeated names. Pieces are separated by `&` only; an empty piece
/// (`&&`, a leading or trailing `&`) is skipped; a piece without `=` has the value `""`.
/// Names and values are form-decoded (`+` is a space, then `%XX`).
public struct QueryParameters: Sendable, Equatable {
    public let items: [QueryItem]

    /// Parses the part of the target after `?`; nil (no `?`) and empty both mean no items.
    /// - Throws: the first name or value that cannot be decoded, naming its parameter.
    public init(rawQuery: Substring?) throws(QueryDecodingError) {
        guard let rawQuery, !rawQuery.isEmpty else {
            items = []
            return
        }
        var parsed: [QueryItem] = []
        for piece in rawQuery.splitOnASCII(UInt8(ascii: "&")) where !piece.isEmpty {
            parsed.append(try Self.parseItem(piece))
        }
        items = parsed
    }

    /// Parses like `init(rawQuery:)`, but a piece whose name or value cannot be decoded (a `%00`,
    /// a bad `%` escape, bytes that are not UTF-8) is left out, as if it had not been sent. For
    /// HTML form bodies: each field then meets its own rule for an absent value (a login with a
    /// broken `email` fails like an unknown one, a broken `next` goes to `/`, WEB-1, WEB-10).
    public init(rawQueryDroppingUndecodable rawQuery: Substring?) {
        guard let rawQuery, !rawQuery.isEmpty else {
            items = []
            return
        }
        items = rawQuery.splitOnASCII(UInt8(ascii: "&")).compactMap { piece in
            piece.isEmpty ? nil : try? Self.parseItem(piece)
        }
    }

    /// Every value given for `name`, in order (empty values included).
    public func values(_ name: String) -> [String] {
        items.filter { $0.name == name }.map(\.value)
    }

    /// The first value given for `name`, or nil when the parameter is absent.
    public func first(_ name: String) -> String? {
        items.first { $0.name == name }?.value
    }

    /// Whether `name` occurs at least once.
    public func contains(_ name: String) -> Bool {
        items.contains { $0.name == name }
    }

    /// How many times `name` occurs (API-45a: most parameters may not repeat).
    public func count(of name: String) -> Int {
        items.reduce(0) { $0 + ($1.name == name ? 1 : 0) }
    }

    /// The distinct decoded names, in order of first appearance.
    public var names: [String] {
        var seen: Set<String> = []
        return items.compactMap { seen.insert($0.name).inserted ? $0.name : nil }
    }

    /// The query rebuilt from the raw pieces of every item whose decoded name is not in
    /// `excludedNames`, joined with `&`, without a leading `?` (API-42: links keep every
    /// parameter except `page` and `per_page`, in order and in their original encoding).
    public func rawQuery(excluding excludedNames: Set<String>) -> String {
        items.filter { !excludedNames.contains($0.name) }.map { String($0.rawPiece) }.joined(separator: "&")
    }

    private static func parseItem(_ piece: Substring) throws(QueryDecodingError) -> QueryItem {
        let rawName: Substring
        let rawValue: Substring
        if let equals = piece.firstIndexOfASCII(UInt8(ascii: "=")) {
            rawName = piece[..<equals]
            rawValue = piece[piece.utf8.index(after: equals)...]
        } else {
            rawName = piece
            rawValue = piece[piece.endIndex...]
        }
        let name: String
        do {
            name = try PercentDecoding.decodeFormComponent(rawName)
        } catch {
            throw QueryDecodingError(parameterName: String(rawName), failure: error)
        }
        let value: String
        do {
            value = try PercentDecoding.decodeFormComponent(rawValue)
        } catch {
            throw QueryDecodingError(parameterName: name, failure: error)
        }
        return QueryItem(rawPiece: piece, rawName: rawName, rawValue: rawValue, name: name, value: value)
    }
}
