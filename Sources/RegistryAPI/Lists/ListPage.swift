import Formats
import HTTPServer
import Postgres
import RegistryCore

/// One page of a list as read: up to `per_page + 1` rows (the extra one only tells there is a
/// next page, API-43) and the count when it is wanted (API-44).
struct ListPage {
    let rows: PGResult
    let count: Int?

    /// Reads the page; with the count (unless `count=false`, API-44) from the same statement, so
    /// both come from one snapshot. Only an empty page past the first needs a separate count.
    init(_ sql: ListSQL, _ parameters: ListParameters, on connection: PGConnection) throws {
        guard parameters.wantsCount else {
            rows = try connection.query(sql.rows)
            count = nil
            return
        }
        (rows, count) = try sql.pageAndCount(offset: parameters.offset, on: connection)
    }

    /// A page read elsewhere (`ListOnLoop`).
    init(rows: PGResult, count: Int?) {
        self.rows = rows
        self.count = count
    }
}

extension ListEnvelope {
    /// The list response for `page`, each row written straight from the result cells by
    /// `writeRow`. `page` nil: a filter named an unknown or invisible record, so the list is empty
    /// (API-49), with a count of 0 unless `count=false`.
    static func response(_ call: APICall, _ parameters: ListParameters, _ page: ListPage?,
                         writeRow: (PGResult, Int, inout JSONWriter) throws -> Void) rethrows -> HTTPResponse {
        guard let page else {
            var envelope = ListEnvelope(call: call, parameters: parameters, count: parameters.wantsCount ? 0 : nil,
                                        hasMore: false)
            return envelope.finish()
        }
        var envelope = ListEnvelope(call: call, parameters: parameters, count: page.count,
                                    hasMore: page.rows.rowCount > parameters.perPage)
        for row in 0..<min(page.rows.rowCount, parameters.perPage) {
            try writeRow(page.rows, row, &envelope.writer)
        }
        return envelope.finish()
    }

    /// The list response for `page` with every row in `representation`.
    static func response(_ call: APICall, _ parameters: ListParameters, _ page: ListPage?,
                         _ representation: Representation) -> HTTPResponse {
        response(call, parameters, page) { rows, row, writer in
            representation.writeObject(rows, row: row, into: &writer)
        }
    }
}
