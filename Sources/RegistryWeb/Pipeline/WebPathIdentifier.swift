import Formats
import HTTPServer
import Postgres
import RegistryCore
import Routing

/// An identifier from a path segment of an HTML route, decoded like the API's (api-v2.md API-1,
/// API-2, API-4): percent-decoded after routing with `+` taken literally; when nothing is found and
/// the raw segment has a literal `+`, one retry reads every literal `+` as a space.
struct WebPathIdentifier {
    let literal: String
    let plusAsSpace: String?

    /// A bad escape, invalid UTF-8 or U+0000 is a 400 (API-2).
    init(_ parameters: RouteParameters, _ name: String) throws(RegistryError) {
        do {
            literal = try parameters.decoded(name)
            plusAsSpace = parameters.containsLiteralPlus(name) ? try parameters.decodedPlusAsSpace(name) : nil
        } catch {
            throw .badRequest(error.message)
        }
    }

    func lookup<T>(_ find: (String) throws -> T?) throws -> T? {
        if let found = try find(literal) { return found }
        if let plusAsSpace, let found = try find(plusAsSpace) { return found }
        return nil
    }

    /// Slashes in the decoded identifier (DOM-14: 1 for an object, 2 or more for a file).
    var slashCount: Int { literal.utf8.reduce(0) { $0 + ($1 == UInt8(ascii: "/") ? 1 : 0) } }
}
