import CLibpq

/// The rows of one statement's result, in PostgreSQL's text format.
///
/// A `PGresult` is immutable once libpq hands it over and may be read from any thread, hence
/// `@unchecked Sendable`. It is freed (`PQclear`) when this object goes away.
///
/// NULL: every accessor checks `PQgetisnull` first, because libpq represents NULL as an empty
/// string, indistinguishable from `''` by its bytes. Typed accessors return `nil` for NULL and throw
/// when a non-NULL value cannot be decoded (a column read as the wrong type is a programming error,
/// reported instead of trapping).
///
/// A cell outside the result (a row past `rowCount`, e.g. a record a lagging replica does not
/// have yet when an earlier read of the same request found it on the primary) reads as NULL: a
/// trap there would stop the whole server for one request, where NULL makes the caller's own
/// "missing" path answer.
public final class PGResult: @unchecked Sendable {
    let handle: OpaquePointer

    init(handle: OpaquePointer) {
        self.handle = handle
    }

    deinit {
        PQclear(handle)
    }

    /// Number of rows returned.
    public var rowCount: Int { Int(PQntuples(handle)) }

    /// Number of columns returned.
    public var columnCount: Int { Int(PQnfields(handle)) }

    /// The index of the column called `name`, or nil. Resolve once per result, not per row.
    /// (libpq lower-cases an unquoted name; pass `"\"MixedCase\""` for a quoted identifier.)
    public func columnIndex(_ name: String) -> Int? {
        let index = Int(PQfnumber(handle, name))
        return index < 0 ? nil : index
    }

    /// The name of column `column`.
    public func columnName(_ column: Int) -> String {
        precondition(column >= 0 && column < columnCount, "column index out of range")
        return String(cString: PQfname(handle, Int32(column)))
    }

    /// Rows affected by an INSERT/UPDATE/DELETE/MERGE/COPY/FETCH/MOVE (PQcmdTuples), else 0.
    public var affectedRows: Int {
        var total = 0
        var pointer = PQcmdTuples(handle)!
        while pointer.pointee >= 48 && pointer.pointee <= 57 {
            total = total * 10 + Int(pointer.pointee - 48)
            pointer += 1
        }
        return total
    }

    /// The command tag, e.g. `INSERT 0 1` or `COMMIT`.
    public var commandTag: String { String(cString: PQcmdStatus(handle)) }

    /// True when the value at (row, column) is SQL NULL.
    public func isNull(_ row: Int, _ column: Int) -> Bool {
        guard contains(row, column) else { return true }
        return PQgetisnull(handle, Int32(row), Int32(column)) == 1
    }

    /// Lends the raw text bytes of a value (empty for NULL: check `isNull` when it matters) without
    /// copying, so hot paths can write JSON straight from the result. The buffer is valid only inside
    /// `body` (it points into the `PGresult`).
    public func withUnsafeBytes<R, E: Error>(
        _ row: Int, _ column: Int, _ body: (UnsafeRawBufferPointer) throws(E) -> R
    ) throws(E) -> R {
        guard contains(row, column) else { return try body(UnsafeRawBufferPointer(start: nil, count: 0)) }
        let length = Int(PQgetlength(handle, Int32(row), Int32(column)))
        let start = UnsafeRawPointer(PQgetvalue(handle, Int32(row), Int32(column))!)
        return try body(UnsafeRawBufferPointer(start: start, count: length))
    }

    /// The value's NUL-terminated C string (libpq terminates every text value).
    func cString(_ row: Int, _ column: Int) -> UnsafePointer<CChar> {
        UnsafePointer(PQgetvalue(handle, Int32(row), Int32(column))!)
    }

    /// Whether (row, column) is a cell of this result (see the type's note on cells outside it).
    /// A column outside the statement's select list is a programming error: debug builds (the
    /// tests) stop on it; a release server reads NULL rather than stopping for every client.
    func contains(_ row: Int, _ column: Int) -> Bool {
        assert(column >= 0 && column < columnCount, "column index \(column) out of range 0..<\(columnCount)")
        return row >= 0 && row < rowCount && column >= 0 && column < columnCount
    }
}
