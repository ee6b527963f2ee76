import Formats
import HTTPServer
import Postgres
import RegistryCore
import Routing

/// html.md WEB-10: where an unauthenticated request is sent, and where a login may send the user.
enum LoginRedirect {
    /// `/login?next=<the request target, percent-encoded>`: raw path plus `?` and the raw query
    /// when there is one, every byte but `A–Z a–z 0–9 - _ . ~` encoded, so that decoding once gives
    /// the target back (`/objects/test.edu%2Fb?state=A` → `next=%2Fobjects%2Ftest.edu%252Fb%3Fstate%3DA`).
    static func loginLocation(for head: RequestHead) -> String {
        var target = String(head.path)
        if let query = head.query { target += "?" + query }
        return "/login?next=" + PercentEncoding.encode(target)
    }

    /// The `next` value (already decoded once) if it is safe to redirect to, else `/`: a relative
    /// path with a single leading `/` (no `//` or `/\`, which browsers read as another host), no
    /// control characters, and no scheme.
    static func safeTarget(_ next: String?) -> String {
        guard let next, isSafe(next) else { return "/" }
        return next
    }

    static func isSafe(_ next: String) -> Bool {
        let bytes = Array(next.utf8)
        guard bytes.first == UInt8(ascii: "/") else { return false }
        if bytes.count > 1, bytes[1] == UInt8(ascii: "/") || bytes[1] == UInt8(ascii: "\\") { return false }
        guard !bytes.contains(where: { $0 < 0x20 || $0 == 0x7F }) else { return false }
        // "No control characters": the C1 controls (U+0080–U+009F, e.g. NEL) are controls too.
        guard !next.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else { return false }
        // A scheme (`javascript:`, `https://`) cannot start a path that begins with `/`, but a
        // sloppy client could still misread one further in; nothing legitimate needs `://` here.
        return !next.contains("://")
    }
}
