import RegistryCore
import Routing

/// An identifier taken from a path segment (api-v2.md API-1..5).
public struct PathIdentifier: Sendable {
    /// Percent-decoded with `+` taken literally (the first lookup).
    public let literal: String
    /// The [Compat] second reading: every literal `+` of the raw segment as a space (API-4); nil when
    /// the raw segment has no literal `+`.
    public let plusAsSpace: String?

    /// Decodes `parameter` of the call; a bad escape, invalid UTF-8 or U+0000 is a 400 (API-2).
    public init(_ call: APICall, _ parameter: String) throws(RegistryError) {
        try self.init(call.parameters, parameter)
    }

    public init(_ parameters: RouteParameters, _ parameter: String) throws(RegistryError) {
        do {
            literal = try parameters.decoded(parameter)
            plusAsSpace = parameters.containsLiteralPlus(parameter) ? try parameters.decodedPlusAsSpace(parameter) : nil
        } catch {
            throw .badRequest(error.message)
        }
    }

    /// For the [Compat] fallback of API-6: the whole remainder of the path decoded as one identifier.
    public init(remainder raw: Substring) throws(RegistryError) {
        do {
            literal = try PercentDecoding.decode(raw)
            plusAsSpace = raw.contains("+")
                ? try PercentDecoding.decode(Substring(raw.map { $0 == "+" ? "%20" : String($0) }.joined())) : nil
        } catch {
            throw .badRequest(error.message)
        }
    }

    /// API-4: looks up the literal reading, then (only if that found nothing and the raw segment had
    /// a `+`) the plus-as-space reading. Returns the record and the identifier that found it.
    public func lookup<T>(_ find: (String) throws -> T?) throws -> T? {
        if let found = try find(literal) { return found }
        if let plusAsSpace, let found = try find(plusAsSpace) { return found }
        return nil
    }

    /// The kind of identifier by its decoded form (API-5, DOM-14).
    public var kind: IdentifierKind { IdentifierKind.of(literal) }
}

/// API-5: what a decoded `{x}` names.
public enum IdentifierKind: Sendable, Equatable {
    case institution
    case object
    case file
    case uuid
    case numericID(Int64)
    case unknown

    public static func of(_ text: String) -> IdentifierKind {
        if let id = NumericID.parse(text) { return .numericID(id) }
        let slashes = text.utf8.reduce(0) { $0 + ($1 == UInt8(ascii: "/") ? 1 : 0) }
        switch slashes {
        case 0:
            if isUUID(text) { return .uuid }
            return text.contains(".") ? .institution : .unknown
        case 1: return .object
        default: return .file
        }
    }

    /// 8-4-4-4-12 hex digits, either case (DOM-15).
    public static func isUUID(_ text: String) -> Bool {
        UUIDText.isValid(text)
    }
}
