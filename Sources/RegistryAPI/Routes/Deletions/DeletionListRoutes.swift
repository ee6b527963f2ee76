import Formats
import HTTPServer
import Postgres
import RegistryCore

/// `GET /deletions` and `GET /deletions/{id}` (api-v2.md #39, §8 Deletion request). Admins see every
/// request; everyone else their institution's (domain.md §7.2). The show adds `object_identifiers`,
/// `file_identifiers` (identifier byte order) and `work_item_ids` (id order), one query each.
enum DeletionListRoutes {
    static let filters = DeletionListQuery.filterNames
    static let querySpec = QuerySpec(filters.union(ListParameters.names), repeatable: DeletionListQuery.repeatable)

    static let from = DeletionListQuery.from

    /// Sort `date` only (the default): newest request first, then id. Deletion requests are few (a
    /// handful a day), so the sort needs no index of its own beyond the institution/status one.
    static func list(_ call: inout APICall) throws -> HTTPResponse {
        let query = try call.query
        let parameters = try ListParameters.parse(query)
        let listQuery = try DeletionListQuery(query.filterValues, caller: call.caller, sort: parameters.sort)
        let sql = listQuery.page(selectList: Representations.deletionRequest.selectList, limit: parameters.perPage + 1,
                                 offset: parameters.offset)
        let page = try call.database.read { try ListPage(sql, parameters, on: $0) }
        return ListEnvelope.response(call, parameters, page, Representations.deletionRequest)
    }

    static func show(_ call: inout APICall) throws -> HTTPResponse {
        let request = try DeletionRoutes.visibleRequest(call)
        try call.authorize()
        return try showResponse(id: request.id, call: call)
    }

    /// The show representation of request `id` (also the answer of cancel, #41).
    static func showResponse(id: Int64, call: APICall) throws -> HTTPResponse {
        var main: PGQuery = "SELECT "
        main.append(Representations.deletionRequest.selectList)
        main.append(from)
        main.append(" WHERE d.id = \(id)")
        let read = { (connection: PGConnection) throws -> [PGResult] in
            [try connection.query(main),
             try connection.query("""
                SELECT o.identifier FROM deletion_request_objects x JOIN intellectual_objects o ON o.id = x.intellectual_object_id
                WHERE x.deletion_request_id = \(id) ORDER BY o.identifier
                """),
             try connection.query("""
                SELECT f.identifier FROM deletion_request_files y JOIN generic_files f ON f.id = y.generic_file_id
                WHERE y.deletion_request_id = \(id) ORDER BY f.identifier
                """),
             try connection.query("SELECT id FROM work_items WHERE deletion_request_id = \(id) ORDER BY id")]
        }
        // A member GET's `database` reads the replica (OPS-67); a cancel's answer reads the primary.
        let results = try call.database.read(read)
        guard results[0].rowCount == 1 else { throw RegistryError.notFound("deletion request not found: \(id)") }
        var writer = JSONWriter(capacity: 1024)
        writer.beginObject()
        Representations.deletionRequest.writeMembers(results[0], row: 0, into: &writer)
        for (key, result, isInteger) in [("object_identifiers", results[1], false), ("file_identifiers", results[2], false),
                                         ("work_item_ids", results[3], true)] {
            writer.key(key)
            writer.beginArray()
            for row in 0..<result.rowCount {
                if isInteger { writer.integerCell(result, row, 0) } else { writer.textCell(result, row, 0) }
            }
            writer.endArray()
        }
        writer.endObject()
        return APIResponse.json(200, writer.bytes)
    }
}
