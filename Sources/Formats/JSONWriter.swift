/// Builds compact JSON directly into bytes, inserting the commas itself.
///
/// Used on the hottest paths (every API response is written from database row bytes), so it keeps
/// no per-value state beyond a few integers and never creates intermediate `String`s.
///
/// Separators: only the current container's "has an element" flag is needed. When a nested
/// container closes, its parent necessarily has an element (the one just closed), so nothing has to
/// be saved per level. Values at the top level are never separated, which lets NDJSON writers emit
/// one object, append `\n` to `bytes`, and emit the next.
///
/// Misuse (a value in an object without a key, a key outside an object, unbalanced ends, more than
/// 64 nesting levels) is a programming error caught by assertions in debug builds.
public struct JSONWriter: Sendable {
    /// The JSON written so far. Callers may append to it directly between top-level values.
    public var bytes: [UInt8]

    /// Whether the innermost open container already holds an element (so the next one needs `,`).
    private var containerHasElement = false
    /// Whether a key was just written, so the next value follows `:` without a separator.
    private var afterKey = false
    /// Number of open containers.
    private var depth = 0
    /// Bit `n` set ⇔ the container at depth `n + 1` is an object; only for debug assertions.
    private var objectBits: UInt64 = 0

    /// Creates a writer whose buffer reserves `capacity` bytes up front.
    public init(capacity: Int = 1024) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    /// Empties the buffer (keeping its capacity) and the nesting state, e.g. between chunks of a
    /// streamed response.
    public mutating func reset() {
        bytes.removeAll(keepingCapacity: true)
        containerHasElement = false
        afterKey = false
        depth = 0
        objectBits = 0
    }

    // MARK: Containers

    /// Opens an object (`{`).
    public mutating func beginObject() {
        beginValue()
        bytes.append(0x7B)
        push(isObject: true)
    }

    /// Closes the innermost object (`}`).
    public mutating func endObject() {
        assert(depth > 0 && isInObject && !afterKey, "JSONWriter: endObject without a matching open object")
        bytes.append(0x7D)
        pop()
    }

    /// Opens an array (`[`).
    public mutating func beginArray() {
        beginValue()
        bytes.append(0x5B)
        push(isObject: false)
    }

    /// Closes the innermost array (`]`).
    public mutating func endArray() {
        assert(depth > 0 && !isInObject, "JSONWriter: endArray without a matching open array")
        bytes.append(0x5D)
        pop()
    }

    // MARK: Keys

    /// Writes an object key. Keys on hot paths are compile-time constants, so their UTF-8 is copied
    /// without escaping; a constant key needing escapes is a programming error (asserted in debug).
    public mutating func key(_ name: StaticString) {
        beginKey()
        name.withUTF8Buffer { utf8 in
            assert(!utf8.contains { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C }, "JSONWriter: constant key needs escaping")
            bytes.append(contentsOf: utf8)
        }
        endKey()
    }

    /// Writes an object key from runtime text, escaping it.
    public mutating func key(_ name: String) {
        beginKey()
        JSONEscaping.appendEscaped(name, to: &bytes)
        endKey()
    }

    // MARK: Scalars

    /// Writes a string value.
    public mutating func string(_ value: String) {
        beginValue()
        bytes.append(0x22)
        JSONEscaping.appendEscaped(value, to: &bytes)
        bytes.append(0x22)
    }

    /// Writes a string value from UTF-8 bytes, e.g. a text cell straight out of a libpq result.
    public mutating func string(utf8 value: UnsafeRawBufferPointer) {
        beginValue()
        bytes.append(0x22)
        JSONEscaping.appendEscaped(value, to: &bytes)
        bytes.append(0x22)
    }

    /// Writes an integer value.
    public mutating func int(_ value: Int64) {
        beginValue()
        DecimalText.append(value, to: &bytes)
    }

    /// Writes an integer value.
    public mutating func int(_ value: Int) {
        beginValue()
        DecimalText.append(Int64(value), to: &bytes)
    }

    /// Writes `true` or `false`.
    public mutating func bool(_ value: Bool) {
        beginValue()
        bytes.appendStatic(value ? "true" : "false")
    }

    /// Writes `null`.
    public mutating func null() {
        beginValue()
        bytes.appendStatic("null")
    }

    /// Writes a timestamp as an API string (`"YYYY-MM-DDTHH:MM:SS.ffffffZ"`).
    public mutating func timestamp(_ value: Timestamp) {
        beginValue()
        bytes.append(0x22)
        value.appendAPIFormat(to: &bytes)
        bytes.append(0x22)
    }

    /// Writes one complete, already-encoded JSON value (not validated).
    public mutating func raw(_ json: [UInt8]) {
        beginValue()
        bytes.append(contentsOf: json)
    }

    /// Writes one complete, already-encoded JSON value (not validated).
    public mutating func raw(_ json: UnsafeRawBufferPointer) {
        beginValue()
        bytes.append(contentsOf: json.asUInt8Buffer)
    }

    /// Writes one complete, constant, already-encoded JSON value (not validated).
    public mutating func raw(_ json: StaticString) {
        beginValue()
        bytes.appendStatic(json)
    }

    // MARK: Separator and nesting state

    private var isInObject: Bool {
        depth > 0 && (objectBits >> UInt64(depth - 1)) & 1 == 1
    }

    /// Writes the `,` a value needs (none right after a key or at the top level).
    private mutating func beginValue() {
        if afterKey {
            afterKey = false
            return
        }
        assert(!isInObject, "JSONWriter: value inside an object without a key")
        if depth > 0 {
            if containerHasElement {
                bytes.append(0x2C)
            }
            containerHasElement = true
        }
    }

    private mutating func beginKey() {
        assert(isInObject && !afterKey, "JSONWriter: key outside an object or two keys in a row")
        if containerHasElement {
            bytes.append(0x2C)
        }
        containerHasElement = true
        bytes.append(0x22)
    }

    private mutating func endKey() {
        bytes.append(0x22)
        bytes.append(0x3A)
        afterKey = true
    }

    private mutating func push(isObject: Bool) {
        precondition(depth < 64, "JSONWriter: more than 64 nesting levels")
        if isObject {
            objectBits |= 1 << UInt64(depth)
        } else {
            objectBits &= ~(1 << UInt64(depth))
        }
        depth += 1
        containerHasElement = false
    }

    private mutating func pop() {
        depth -= 1
        // The parent now holds the container just closed (see the type's documentation).
        containerHasElement = true
    }
}
