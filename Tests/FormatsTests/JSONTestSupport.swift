import Formats
import Testing

/// Shared helpers for the JSON parser tests.
enum JSONTest {
    /// Parses the UTF-8 of `text`.
    static func parse(_ text: String, maxDepth: Int = 128) throws(JSONParseError) -> JSONValue {
        try JSONParser.parse(Array(text.utf8), maxDepth: maxDepth)
    }

    /// The error for `bytes`, or `nil` if they parse.
    static func error(_ bytes: [UInt8], maxDepth: Int = 128) -> JSONParseError? {
        do {
            _ = try JSONParser.parse(bytes, maxDepth: maxDepth)
            return nil
        } catch {
            return error
        }
    }

    /// The error for the UTF-8 of `text`, or `nil` if it parses.
    static func error(_ text: String, maxDepth: Int = 128) -> JSONParseError? {
        error(Array(text.utf8), maxDepth: maxDepth)
    }

    /// A number value from a lexeme the test knows to be valid.
    static func number(_ lexeme: String) -> JSONValue {
        guard let number = JSONNumber(lexeme) else {
            Issue.record("test bug: \(lexeme) is not a JSON number")
            return .null
        }
        return .number(number)
    }

    /// An object value from members in document order.
    static func object(_ members: [(String, JSONValue)]) -> JSONValue {
        .object(JSONObject(members: members.map { (key: $0.0, value: $0.1) }))
    }
}

/// Deterministic pseudo-random numbers (SplitMix64), so a failing generated case is reproducible.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var mixed = state
        mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
        mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
        return mixed ^ (mixed >> 31)
    }
}
