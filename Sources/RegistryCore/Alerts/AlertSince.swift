import Formats

extension AlertScope {
    /// The alerts' `since` parameter (API-48, API-45): an RFC 3339 timestamp or a `YYYY-MM-DD` date;
    /// absent or empty means the default window start (now − 24 h). Shared by `GET /api/v2/alerts`
    /// (and the notification routes) and the `/alerts` page so both read `since` identically.
    public static func parseSince(_ text: String?, now: Timestamp = .now()) throws(RegistryError) -> Timestamp {
        guard let text, !text.isEmpty else { return defaultSince(now: now) }
        guard let since = Timestamp(queryDate: text) else { throw .badRequest("invalid date for since: \(text)") }
        return since
    }
}
