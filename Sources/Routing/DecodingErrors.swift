/// Why a percent-encoded text could not be decoded (api-v2.md API-2).
public enum PercentDecodingFailure: Error, Sendable, Equatable, CustomStringConvertible {
    /// A `%` not followed by two hexadecimal digits (`%`, `%4`, `%G0`).
    case malformedEscape
    /// The decoded bytes are not valid UTF-8 (e.g. `%C3%28`).
    case invalidUTF8
    /// The decoded text contains U+0000 (`%00`).
    case containsNUL

    public var description: String {
        switch self {
        case .malformedEscape: "malformed percent-escape"
        case .invalidUTF8: "not valid UTF-8 after percent-decoding"
        case .containsNUL: "contains U+0000"
        }
    }
}

/// A path segment (or the whole path) that cannot be percent-decoded: answered 400
/// (api-v2.md API-2, API-51 "bad path encoding").
public struct PathDecodingError: Error, Sendable, Equatable, CustomStringConvertible {
    public let failure: PercentDecodingFailure

    public init(_ failure: PercentDecodingFailure) {
        self.failure = failure
    }

    /// Text for the 400 error body, e.g. `bad path encoding: malformed percent-escape`.
    /// It never quotes the raw path, so it is safe for any client input.
    public var message: String { "bad path encoding: \(failure)" }

    public var description: String { message }
}

/// A query parameter whose name or value cannot be form-decoded: answered 400 naming the
/// parameter (api-v2.md API-45, API-48).
public struct QueryDecodingError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The parameter's name, decoded when the name itself decodes, else as sent.
    public let parameterName: String
    public let failure: PercentDecodingFailure

    public init(parameterName: String, failure: PercentDecodingFailure) {
        self.parameterName = parameterName
        self.failure = failure
    }

    /// Text for the 400 error body, e.g. `invalid percent-encoding in query parameter name_like`.
    public var message: String { "invalid percent-encoding in query parameter \(parameterName)" }

    public var description: String { "\(message) (\(failure))" }
}
