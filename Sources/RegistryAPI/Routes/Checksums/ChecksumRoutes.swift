import Formats
import HTTPServer
import Postgres
import RegistryCore

/// `/checksums` (api-v2.md §10.4, routes #22–#24). Checksums are immutable: PUT, PATCH and DELETE
/// have no route, so the router answers 405 (DOM-80).
enum ChecksumRoutes {
    static let filterNames: Set<String> = [
        "generic_file_identifier", "generic_file_id", "algorithm", "digest", "institution", "datetime_after",
        "datetime_before",
    ]

    static var routes: [APIRoute] {
        [
            APIRoute("checksums.list", [.get], "/checksums", member: [.get], namesRecord: false,
                     query: QuerySpec(filterNames.union(ListParameters.names), repeatable: ["institution"]),
                     handler: list),
            APIRoute("checksums.show", [.get], "/checksums/{id}", member: [.get], namesRecord: true,
                     constraints: ["id": PathKindConstraint.checksumShow], handler: show),
            APIRoute("checksums.create", [.post], "/checksums/{file}", namesRecord: true,
                     constraints: ["file": PathKindConstraint.checksumCreate], handler: create),
        ]
    }

    /// Sorts: `datetime` = `datetime DESC` (the default, newest first) and `datetime ASC`.
    static func list(_ call: inout APICall) throws -> HTTPResponse {
        let query = try call.query
        let parameters = try ListParameters.parse(query)
        let order: PGQuery
        switch parameters.sort ?? "datetime" {
        case "datetime", "datetime DESC": order = " ORDER BY c.datetime DESC, c.id DESC"
        case "datetime ASC": order = " ORDER BY c.datetime, c.id"
        case let other: throw RegistryError.badRequest("invalid sort: \(other)")
        }
        var filters = ListFilters(query)
        try filters.vocabulary("algorithm", column: "c.algorithm", allowed: Vocabulary.checksumAlgorithm)
        if let digest = filters.value("digest") {
            // Digests are stored lower case (DOM-17); hex in either case finds them.
            filters.clause.add("c.digest = \(digest.lowercased())")
        }
        try filters.range(after: "datetime_after", before: "datetime_before", column: "c.datetime")
        let caller = call.caller
        if let condition = try InstitutionFilter(filters).condition(column: "f.institution_id", caller: caller) {
            filters.clause.add(condition)
        }
        let page = try call.database.read { connection -> ListPage? in
            guard let from = try TenantScope.fromFileChildren(
                filters: &filters, caller: caller, fileColumn: "c.generic_file_id",
                base: " FROM checksums c JOIN generic_files f ON f.id = c.generic_file_id", on: connection)
            else { return nil }
            let sql = ListSQL(select: Representations.checksum.selectList, from: from, where: filters.clause,
                              orderBy: order, limit: parameters.perPage + 1, offset: parameters.offset)
            return try ListPage(sql, parameters, on: connection)
        }
        return ListEnvelope.response(call, parameters, page, Representations.checksum)
    }

    /// By numeric id (DOM-16); visible by the show rule of its object (DOM-95).
    static func show(_ call: inout APICall) throws -> HTTPResponse {
        let raw = try PathIdentifier(call, "id")
        let caller = call.caller
        let found = try call.database.read { connection -> PGResult? in
            guard let id = NumericID.parse(raw.literal) else { return nil }
            var query: PGQuery = "SELECT o.institution_id, o.access, "
            query.append(Representations.checksum.selectList)
            query.append("""
                 FROM checksums c JOIN generic_files f ON f.id = c.generic_file_id
                JOIN intellectual_objects o ON o.id = f.intellectual_object_id WHERE c.id = \(id)
                """)
            let result = try connection.query(query)
            guard result.rowCount == 1, let institutionID = try result.int64(0, 0),
                  caller.canShow(objectOf: institutionID, access: result.string(0, 1) ?? "") else { return nil }
            return result
        }
        guard let found else { throw RegistryError.notFound("checksum not found: \(raw.literal)") }
        try call.authorize()
        var writer = JSONWriter(capacity: 512)
        Representations.checksum.writeObject(found, row: 0, offset: 2, into: &writer)
        return APIResponse.json(200, writer.bytes)
    }

    /// `POST /checksums/{file}`: replay on (file, algorithm, datetime) with the same digest (API-60).
    static func create(_ call: inout APICall) throws -> HTTPResponse {
        let file = try FileRoutes.findFile(try PathIdentifier(call, "file"), call)
        try call.authorize()
        guard let record = try call.recordBody(wrapper: "checksum") else {
            throw RegistryError.badRequest("request body is required")
        }
        var errors = FieldErrors()
        let input = ChecksumBodyReader.read(record, prefix: "", fileIdentifier: file.identifier, fileID: file.id,
                                            nested: false, errors: &errors)
        try errors.throwIfAny()
        guard let input else { throw RegistryError.validation(errors) }
        let outcome = try ChecksumStore.create(input, for: file, origin: call.origin, caller: call.caller,
                                               database: call.database)
        if outcome.replayed { call.services.metrics.idempotentReplay(resource: "checksum") }
        let result = try call.database.read { connection in
            var query: PGQuery = "SELECT "
            query.append(Representations.checksum.selectList)
            query.append(" FROM checksums c JOIN generic_files f ON f.id = c.generic_file_id WHERE c.id = \(outcome.id)")
            return try connection.query(query)
        }
        var writer = JSONWriter(capacity: 512)
        Representations.checksum.writeObject(result, row: 0, into: &writer)
        let headers = outcome.replayed ? HTTPHeaders(["Idempotent-Replayed": "true"]) : HTTPHeaders()
        return APIResponse.json(201, writer.bytes, headers: headers)
    }
}
