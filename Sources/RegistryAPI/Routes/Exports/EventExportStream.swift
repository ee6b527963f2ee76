import Formats
import HTTPServer
import Postgres
import RegistryCore

/// The body of `GET /events/export` (auditor.md AUD-13..16): every matching event, read through a
/// server-side cursor in batches of 1,000 and written as it is read, all inside ONE REPEATABLE READ
/// READ ONLY transaction (`SnapshotExportStream`), so the export is one consistent snapshot (events
/// committed after it began are not in it; nothing is duplicated or skipped).
///
/// Memory is bounded by one batch of rows plus about 64 KiB of output: `StreamedJSON` hands the
/// bytes to the connection as they accumulate, and the connection's back-pressure makes the
/// producer wait for a slow client instead of buffering. Output is flushed only at row boundaries,
/// so a transfer cut off by an error never ends inside a CSV row or an NDJSON line (AUD-15).
enum EventExportStream {
    static let batchSize = 1000

    /// What to export, decided (and validated) before the response starts.
    struct Plan: Sendable {
        /// The conditions of the equivalent list query (filters and visibility, DOM-93/94).
        let scope: EventListScope
        let sort: EventSort
        let format: EventExportFormat
        let maxSeconds: Int
    }

    static func response(_ plan: Plan, pool: PostgresPool, headers: HTTPHeaders,
                         failures: StreamFailureMapper) -> HTTPResponse {
        SnapshotExportStream.response(headers: headers, pool: pool, maxSeconds: plan.maxSeconds, failures: failures) {
            (connection, deadline, output: inout StreamedJSON) in
            try export(plan, on: connection, deadline: deadline, into: &output)
        }
    }

    private static func export(_ plan: Plan, on connection: PGConnection, deadline: ExportDeadline,
                               into output: inout StreamedJSON) throws {
        output.json.bytes.append(contentsOf: plan.format.preamble)
        // The CSV header goes out at once: the first byte does not wait for the first FETCH.
        try output.flush()
        for query in try queries(plan, on: connection) {
            try connection.stream(query, batchSize: batchSize) { batch in
                try deadline.check()
                for row in 0..<batch.rowCount {
                    plan.format.appendRow(batch, row: row, to: &output.json)
                    try output.flushIfLarge()
                }
                // Each batch reaches the client before the next FETCH (first byte early, and a
                // slow client holds back the reading, not the server's memory).
                try output.flush()
            }
        }
        try deadline.check()
    }

    /// The export's queries, in output order.
    ///
    /// `sort=sequence` over several institutions (an admin's unfiltered export, or several
    /// `institution` values) orders by institution identifier, then sequence. One query would have
    /// to sort every matching event before its first row (seconds for millions of events, AUD-13
    /// wants the first byte within 2 s); instead each institution, in identifier byte order, gets
    /// its own cursor that the unique (institution_id, sequence) index delivers already in order.
    /// All run in the same snapshot, so the result is exactly the single query's.
    /// Internal, not private: the query-plan test EXPLAINs exactly these cursors.
    static func queries(_ plan: Plan, on connection: PGConnection) throws -> [PGQuery] {
        let scope = plan.scope
        guard plan.sort == .sequence, !scope.singleInstitution else {
            return [EventList.selectQuery(where: scope.clause, joinsObjects: scope.joinsObjects,
                                          orderBy: plan.sort.orderBy(singleInstitution: scope.singleInstitution))]
        }
        var institutions: PGQuery = "SELECT id FROM institutions"
        if !scope.filteredInstitutionIDs.isEmpty {
            institutions.append(" WHERE id = ANY(\(scope.filteredInstitutionIDs))")
        }
        // `identifier` is COLLATE "C": byte order, as the list's ORDER BY i.identifier.
        institutions.appendUnescaped(" ORDER BY identifier")
        let ids = try connection.query(institutions)
        var queries: [PGQuery] = []
        for row in 0..<ids.rowCount {
            guard let id = try ids.int64(row, 0) else { continue }
            var clause = scope.clause
            clause.add("e.institution_id = \(id)")
            queries.append(EventList.selectQuery(where: clause, joinsObjects: scope.joinsObjects,
                                                 orderBy: EventSort.sequence.orderBy(singleInstitution: true)))
        }
        return queries
    }
}

