import Formats

/// A value that can be bound as a query parameter. Parameters are sent in PostgreSQL's TEXT format:
/// the encoder appends the value's text form (UTF-8, no NUL) to a shared buffer.
///
/// Type OIDs: scalars send 0, so the server infers each parameter's type from its context: a string
/// fits text, uuid, jsonb or enum columns alike, and an integer fits int4 function arguments
/// (`substr`, `make_interval`, `pg_terminate_backend`) that an explicit int8 would not match. Where
/// the context says nothing (`$1 IS NULL`, `SELECT $1 + $2`, `jsonb_build_object('k', $1)`), cast
/// in the SQL: `\(value)::int8`. Types whose text form would be misread under inference send
/// their OID: bytea (17), text[] (1009), int8[] (1016).
public protocol PGEncodable: Sendable {
    /// The parameter type OID sent when preparing the statement; 0 lets the server infer it.
    static var pgTypeOID: UInt32 { get }
    /// True only for SQL NULL (`Optional.none`); `encodePGText` is then not called.
    var isPGNull: Bool { get }
    /// Appends the value's text representation.
    func encodePGText(into bytes: inout [UInt8])
}

extension PGEncodable {
    public var isPGNull: Bool { false }
}

/// The parameter type OIDs (pg_type.oid) this module sends.
public enum PGTypeOID {
    /// Let the server infer the type from the parameter's context.
    public static let unspecified: UInt32 = 0
    public static let bytea: UInt32 = 17
    public static let textArray: UInt32 = 1009
    public static let int8Array: UInt32 = 1016
}

extension String: PGEncodable {
    public static var pgTypeOID: UInt32 { PGTypeOID.unspecified }
    public func encodePGText(into bytes: inout [UInt8]) { bytes.append(contentsOf: utf8) }
}

extension Int64: PGEncodable {
    public static var pgTypeOID: UInt32 { PGTypeOID.unspecified }
    public func encodePGText(into bytes: inout [UInt8]) { appendDecimal(self, to: &bytes) }
}

extension Int: PGEncodable {
    public static var pgTypeOID: UInt32 { PGTypeOID.unspecified }
    public func encodePGText(into bytes: inout [UInt8]) { appendDecimal(Int64(self), to: &bytes) }
}

extension Int32: PGEncodable {
    public static var pgTypeOID: UInt32 { PGTypeOID.unspecified }
    public func encodePGText(into bytes: inout [UInt8]) { appendDecimal(Int64(self), to: &bytes) }
}

extension Bool: PGEncodable {
    public static var pgTypeOID: UInt32 { PGTypeOID.unspecified }
    public func encodePGText(into bytes: inout [UInt8]) { bytes.append(self ? UInt8(ascii: "t") : UInt8(ascii: "f")) }
}

extension Double: PGEncodable {
    public static var pgTypeOID: UInt32 { PGTypeOID.unspecified }
    public func encodePGText(into bytes: inout [UInt8]) {
        // Swift spells these "inf"/"nan"; PostgreSQL's float8 input wants its own words.
        if isNaN {
            bytes.append(contentsOf: "NaN".utf8)
        } else if isInfinite {
            bytes.append(contentsOf: (self < 0 ? "-Infinity" : "Infinity").utf8)
        } else {
            bytes.append(contentsOf: description.utf8)  // shortest round-trip form
        }
    }
}

extension Timestamp: PGEncodable {
    public static var pgTypeOID: UInt32 { PGTypeOID.unspecified }
    /// Bound as the exact literal (six fraction digits, `+00`) so PostgreSQL never rounds.
    public func encodePGText(into bytes: inout [UInt8]) { appendPostgresLiteral(to: &bytes) }
}

extension Optional: PGEncodable where Wrapped: PGEncodable {
    public static var pgTypeOID: UInt32 { Wrapped.pgTypeOID }
    public var isPGNull: Bool { self == nil || self!.isPGNull }
    public func encodePGText(into bytes: inout [UInt8]) { self?.encodePGText(into: &bytes) }
}

/// Writes an integer's decimal digits straight into the buffer: parameters are encoded on every
/// query, and going through `String(value)` would allocate a String per integer.
func appendDecimal(_ value: Int64, to bytes: inout [UInt8]) {
    if value == 0 {
        bytes.append(UInt8(ascii: "0"))
        return
    }
    if value < 0 { bytes.append(UInt8(ascii: "-")) }
    // Work with the magnitude as UInt64 so Int64.min does not overflow.
    var magnitude = value.magnitude
    let start = bytes.count
    while magnitude > 0 {
        bytes.append(UInt8(ascii: "0") + UInt8(magnitude % 10))
        magnitude /= 10
    }
    bytes[start...].reverse()
}
