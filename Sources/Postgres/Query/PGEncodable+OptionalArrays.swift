/// `[String?]` → `text[]` and `[Int64?]` → `int8[]` with SQL NULL elements, for multi-row inserts
/// through `unnest($1::text[], …)`: one fixed statement (prepared once) inserts any number of rows
/// with nullable columns in one round trip.
extension Optional: PGArrayEncodable where Wrapped: PGArrayEncodable {
    public static var pgArrayTypeOID: UInt32 { Wrapped.pgArrayTypeOID }

    public static func encodePGArray(_ elements: [Wrapped?], into bytes: inout [UInt8]) {
        bytes.append(UInt8(ascii: "{"))
        for (index, element) in elements.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            if let element {
                // Encode the single element as a one-element array and strip its braces, so the
                // element quoting stays in one place (the wrapped type's encoder).
                var single: [UInt8] = []
                Wrapped.encodePGArray([element], into: &single)
                bytes.append(contentsOf: single.dropFirst().dropLast())
            } else {
                bytes.append(contentsOf: "NULL".utf8)
            }
        }
        bytes.append(UInt8(ascii: "}"))
    }
}
