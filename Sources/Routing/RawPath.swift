/// Splitting of a raw request path into segments (api-v2.md API-1, API-3).
enum RawPath {
    /// The segments of `rawPath`, as Substrings of it (nothing is decoded or copied).
    /// One trailing `/` is dropped (`/api/v2/items/` = `/api/v2/items`); `/` alone has no
    /// segments. Nil when the path does not start with `/` or has any other empty segment (`//`).
    static func segments(_ rawPath: Substring) -> [Substring]? {
        guard rawPath.first == "/" else { return nil }
        var segments = rawPath.dropFirst().splitOnASCII(UInt8(ascii: "/"))
        if segments.last?.isEmpty == true { segments.removeLast() }
        if segments.contains(where: \.isEmpty) { return nil }
        return segments
    }
}
