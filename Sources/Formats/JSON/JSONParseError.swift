/// Why a body is not valid JSON, and where. The registry answers these with a 400 whose message
/// starts `malformed JSON` (api-v2.md API-22); `description` is meant to follow that prefix.
public struct JSONParseError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Byte offset (0-based) of the problem in the input. For an unterminated string it is the
    /// offset of the opening quote; for a bad UTF-8 sequence, of its first byte.
    public let offset: Int
    /// A short, stable explanation, e.g. `unexpected character '}'`, `unterminated string`,
    /// `invalid UTF-8`, `nesting too deep`.
    public let reason: String

    public init(offset: Int, reason: String) {
        self.offset = offset
        self.reason = reason
    }

    public var description: String { "\(reason) at byte \(offset)" }
}
