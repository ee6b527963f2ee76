/// Element types whose Swift arrays have a PostgreSQL parameter encoding:
/// `[String]` → `text[]`, `[Int64]` and `[Int]` → `int8[]`, and `[UInt8]` → `bytea` (a byte string,
/// not an array of small integers). One protocol is needed because `Array` can conform to
/// `PGEncodable` only once; the element type picks the encoding.
public protocol PGArrayEncodable: Sendable {
    /// The OID of the parameter type of `[Self]`.
    static var pgArrayTypeOID: UInt32 { get }
    /// Appends the text form of `[Self]`.
    static func encodePGArray(_ elements: [Self], into bytes: inout [UInt8])
}

extension Array: PGEncodable where Element: PGArrayEncodable {
    public static var pgTypeOID: UInt32 { Element.pgArrayTypeOID }
    public func encodePGText(into bytes: inout [UInt8]) { Element.encodePGArray(self, into: &bytes) }
}

extension UInt8: PGArrayEncodable {
    public static var pgArrayTypeOID: UInt32 { PGTypeOID.bytea }
    /// bytea's hex input form, `\x` followed by two lower-case hex digits per byte.
    public static func encodePGArray(_ elements: [UInt8], into bytes: inout [UInt8]) {
        bytes.reserveCapacity(bytes.count + 2 + 2 * elements.count)
        bytes.append(UInt8(ascii: "\\"))
        bytes.append(UInt8(ascii: "x"))
        for byte in elements {
            bytes.append(hexDigits[Int(byte >> 4)])
            bytes.append(hexDigits[Int(byte & 0x0F)])
        }
    }
}

extension String: PGArrayEncodable {
    public static var pgArrayTypeOID: UInt32 { PGTypeOID.textArray }
    /// Array literal with every element double-quoted, so empty strings, `NULL`, commas, braces and
    /// spaces are all taken literally; inside quotes only `"` and `\` need a backslash.
    public static func encodePGArray(_ elements: [String], into bytes: inout [UInt8]) {
        bytes.append(UInt8(ascii: "{"))
        for (index, element) in elements.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            bytes.append(UInt8(ascii: "\""))
            for byte in element.utf8 {
                if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") { bytes.append(UInt8(ascii: "\\")) }
                bytes.append(byte)
            }
            bytes.append(UInt8(ascii: "\""))
        }
        bytes.append(UInt8(ascii: "}"))
    }
}

extension Int64: PGArrayEncodable {
    public static var pgArrayTypeOID: UInt32 { PGTypeOID.int8Array }
    public static func encodePGArray(_ elements: [Int64], into bytes: inout [UInt8]) {
        bytes.append(UInt8(ascii: "{"))
        for (index, element) in elements.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            appendDecimal(element, to: &bytes)
        }
        bytes.append(UInt8(ascii: "}"))
    }
}

extension Int: PGArrayEncodable {
    public static var pgArrayTypeOID: UInt32 { PGTypeOID.int8Array }
    public static func encodePGArray(_ elements: [Int], into bytes: inout [UInt8]) {
        Int64.encodePGArray(elements.map { Int64($0) }, into: &bytes)
    }
}

private let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)
