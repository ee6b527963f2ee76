/// The parameters of a query, already encoded. All values live in ONE byte buffer (each followed by
/// a NUL, as libpq's text parameters are C strings), so binding costs one growing allocation rather
/// than one per value, and the C pointer array is only ever formed inside `withCParameters`.
public struct PGBindings: Sendable {
    /// Encoded values back to back, each terminated by a NUL byte.
    private var bytes: [UInt8] = []
    /// Start of each value in `bytes`, or -1 for SQL NULL.
    private var offsets: [Int] = []
    /// Parameter type OIDs, 0 where the server infers the type.
    private(set) var typeOIDs: [UInt32] = []
    /// 1-based number of the first parameter whose text contains a NUL byte (PostgreSQL text cannot
    /// hold one, and libpq would silently cut the value there), checked before sending.
    private(set) var firstParameterContainingNUL: Int?

    public init() {}

    /// Number of parameters.
    public var count: Int { offsets.count }

    /// Encodes and appends one value as the next parameter.
    public mutating func append(_ value: some PGEncodable) {
        typeOIDs.append(type(of: value).pgTypeOID)
        if value.isPGNull {
            offsets.append(-1)
            return
        }
        let start = bytes.count
        offsets.append(start)
        value.encodePGText(into: &bytes)
        if firstParameterContainingNUL == nil, bytes[start...].contains(0) {
            firstParameterContainingNUL = offsets.count
        }
        bytes.append(0)
    }

    /// Appends all of `other`'s parameters after this one's.
    public mutating func append(contentsOf other: PGBindings) {
        let shift = bytes.count
        if firstParameterContainingNUL == nil, let position = other.firstParameterContainingNUL {
            firstParameterContainingNUL = count + position
        }
        bytes.append(contentsOf: other.bytes)
        offsets.append(contentsOf: other.offsets.map { $0 < 0 ? $0 : $0 + shift })
        typeOIDs.append(contentsOf: other.typeOIDs)
    }

    /// Lends libpq-shaped parameter arrays (values as C strings, NULL as a null pointer) for the
    /// duration of `body` only: no pointer may escape, since it points into this struct's storage.
    func withCParameters<R, E: Error>(
        _ body: (_ values: UnsafePointer<UnsafePointer<CChar>?>?, _ count: Int32) throws(E) -> R
    ) throws(E) -> R {
        let count = offsets.count
        if count == 0 { return try body(nil, 0) }
        // A stack-allocated pointer table: this runs for every query, and a heap array would be a
        // second allocation per statement for no benefit.
        let result: Result<R, E> = bytes.withUnsafeBytes { storage in
            withUnsafeTemporaryAllocation(of: UnsafePointer<CChar>?.self, capacity: count) { table in
                for index in 0..<count {
                    let offset = offsets[index]
                    table[index] = offset < 0
                        ? nil
                        : storage.baseAddress!.advanced(by: offset).assumingMemoryBound(to: CChar.self)
                }
                do throws(E) {
                    return .success(try body(UnsafePointer(table.baseAddress!), Int32(count)))
                } catch {
                    return .failure(error)
                }
            }
        }
        return try result.get()
    }
}
