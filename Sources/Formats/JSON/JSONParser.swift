/// A strict RFC 8259 JSON parser for request bodies (api-v2.md API-20..27).
///
/// Strict means: exactly one value surrounded by optional whitespace (space, tab, LF, CR); no
/// comments, trailing commas, single quotes, NaN/Infinity, leading zeros, `+` signs or bare `.`;
/// control characters inside strings must be escaped; lone surrogates and invalid UTF-8 are errors.
/// What is decoded is exactly what was sent (domain.md DOM-5).
///
/// The parser is iterative (an explicit stack of open containers), so no input can overflow the
/// call stack whatever `maxDepth` is, and it runs in time linear in the input size.
/// Foundation is not used: `JSONDecoder` stops at the first error and cannot tell an absent field
/// from a `null` one cheaply, while the registry reports every field error at once (API-52).
public enum JSONParser {
    /// Parses exactly one JSON document.
    ///
    /// - Parameters:
    ///   - bytes: the UTF-8 document (no byte-order mark).
    ///   - maxDepth: the most arrays and objects that may be open at once; one more is a
    ///     `nesting too deep` error. `0` allows only a scalar document. Parsing never recurses,
    ///     but releasing (or comparing) a parsed value does, so keep the limit moderate; the
    ///     default suits every request body of the API.
    public static func parse(_ bytes: [UInt8], maxDepth: Int = 128) throws(JSONParseError) -> JSONValue {
        // `withUnsafeBytes` is `rethrows`, which would erase the typed error; carry it in a Result.
        let result = bytes.withUnsafeBytes { buffer in
            Result { () throws(JSONParseError) -> JSONValue in try parse(buffer, maxDepth: maxDepth) }
        }
        return try result.get()
    }

    /// Parses exactly one JSON document from raw memory (for example a request body buffer).
    /// The memory is only read during the call; the result owns copies of everything it holds.
    public static func parse(
        _ bytes: UnsafeRawBufferPointer, maxDepth: Int = 128
    ) throws(JSONParseError) -> JSONValue {
        var scanner = JSONScanner(input: bytes.asUInt8Buffer)
        return try scanner.parseDocument(maxDepth: max(0, maxDepth))
    }
}

/// An array or object whose closing bracket has not been read yet.
private struct OpenContainer {
    let isObject: Bool
    var elements: [JSONValue] = []
    var members: [(key: String, value: JSONValue)] = []
    /// The key whose value is being parsed (objects only).
    var pendingKey: String = ""

    init(isObject: Bool) {
        self.isObject = isObject
    }

    // Performance: capacity is reserved at the first element, not when the container opens, so a
    // run of open brackets allocates nothing per level. Records in request bodies have a handful to
    // a few dozen members, so starting objects at 8 skips the first reallocations; arrays start at 4.

    mutating func appendMember(_ value: JSONValue) {
        if members.isEmpty { members.reserveCapacity(8) }
        members.append((key: pendingKey, value: value))
    }

    mutating func appendElement(_ value: JSONValue) {
        if elements.isEmpty { elements.reserveCapacity(4) }
        elements.append(value)
    }
}

extension JSONScanner {
    /// Parses the whole input as one document.
    ///
    /// Loop shape: the outer loop reads the start of a value; a scalar or an empty container is a
    /// complete value at once, a non-empty container is pushed and the loop reads its first element.
    /// The inner loop then attaches each complete value to the innermost open container, reads the
    /// `,` or the closing bracket after it, and pops finished containers as values in their turn.
    mutating func parseDocument(maxDepth: Int) throws(JSONParseError) -> JSONValue {
        skipWhitespace()
        if isAtEnd { throw JSONParseError(offset: position, reason: "empty input") }
        var stack: [OpenContainer] = []
        while true {
            skipWhitespace()
            guard !isAtEnd else { throw unexpected(at: position) }
            var value: JSONValue
            switch input[position] {
            case UInt8(ascii: "{"):
                guard stack.count < maxDepth else { throw nestingTooDeep() }
                position += 1
                skipWhitespace()
                if !isAtEnd && input[position] == UInt8(ascii: "}") {
                    position += 1
                    value = .object(JSONObject(members: []))
                } else {
                    var container = OpenContainer(isObject: true)
                    container.pendingKey = try scanKeyAndColon()
                    stack.append(container)
                    continue
                }
            case UInt8(ascii: "["):
                guard stack.count < maxDepth else { throw nestingTooDeep() }
                position += 1
                skipWhitespace()
                if !isAtEnd && input[position] == UInt8(ascii: "]") {
                    position += 1
                    value = .array([])
                } else {
                    stack.append(OpenContainer(isObject: false))
                    continue
                }
            case UInt8(ascii: "\""):
                value = .string(try scanString())
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                value = .number(try scanNumber())
            case UInt8(ascii: "t"):
                try consumeLiteral("true")
                value = .bool(true)
            case UInt8(ascii: "f"):
                try consumeLiteral("false")
                value = .bool(false)
            case UInt8(ascii: "n"):
                try consumeLiteral("null")
                value = .null
            default:
                throw unexpected(at: position)
            }

            // Attach the complete value; close every container that ends right after it.
            attach: while true {
                guard !stack.isEmpty else {
                    skipWhitespace()
                    guard isAtEnd else { throw unexpected(at: position) }
                    return value
                }
                let top = stack.count - 1
                skipWhitespace()
                if stack[top].isObject {
                    stack[top].appendMember(value)
                    guard !isAtEnd else { throw unexpected(at: position) }
                    if input[position] == UInt8(ascii: ",") {
                        position += 1
                        stack[top].pendingKey = try scanKeyAndColon()
                        break attach  // read the next member's value
                    }
                    guard input[position] == UInt8(ascii: "}") else { throw unexpected(at: position) }
                    position += 1
                    value = .object(JSONObject(members: stack.removeLast().members))
                } else {
                    stack[top].appendElement(value)
                    guard !isAtEnd else { throw unexpected(at: position) }
                    if input[position] == UInt8(ascii: ",") {
                        position += 1
                        break attach  // read the next element
                    }
                    guard input[position] == UInt8(ascii: "]") else { throw unexpected(at: position) }
                    position += 1
                    value = .array(stack.removeLast().elements)
                }
            }
        }
    }

    /// Reads `"key"` and the `:` after it (with whitespace around both) inside an object.
    private mutating func scanKeyAndColon() throws(JSONParseError) -> String {
        skipWhitespace()
        guard !isAtEnd, input[position] == UInt8(ascii: "\"") else { throw unexpected(at: position) }
        let key = try scanString()
        skipWhitespace()
        guard !isAtEnd, input[position] == UInt8(ascii: ":") else { throw unexpected(at: position) }
        position += 1
        return key
    }

    private func nestingTooDeep() -> JSONParseError {
        JSONParseError(offset: position, reason: "nesting too deep")
    }
}
