import Formats
import Postgres

/// The children of one batch of parents (files), ordered by the parent's 1-based position in the
/// batch (column 0, `unnest(…) WITH ORDINALITY`), consumed in step with the parents: one query per
/// kind of child and batch, never one per parent. Used by the streamed object includes (API-91)
/// and the PREMIS export.
struct BatchChildren {
    let result: PGResult
    private var next = 0

    init(_ result: PGResult) {
        self.result = result
    }

    /// The rows belonging to the parent at `position`; call with increasing positions.
    mutating func rows(ofPosition position: Int) throws -> Range<Int> {
        let start = next
        while next < result.rowCount, try result.int64(next, 0) == Int64(position) {
            next += 1
        }
        return start..<next
    }

    /// Writes the rows of the parent at `position` as `representation` objects (its columns follow
    /// the position column); call with increasing positions.
    mutating func writeObjects(ofPosition position: Int, as representation: Representation,
                               into writer: inout JSONWriter) throws {
        for row in try rows(ofPosition: position) {
            representation.writeObject(result, row: row, offset: 1, into: &writer)
        }
    }
}
