import Formats
import HTTPServer
import Postgres
import RegistryCore
import Routing

/// `GET /objects/{obj}` and `GET /objects/{id}` (api-v2.md route #4, API-91).
enum ObjectShow {
    static let querySpec = QuerySpec(["include_files", "include_events", "include_all_relations"])

    /// The 404 message for an object named in the path (API-50: the decoded identifier as given;
    /// after a failed `+` retry, the literal form).
    static func notFoundMessage(_ identifier: PathIdentifier) -> String {
        "object not found: \(identifier.literal)"
    }

    static func show(_ call: inout APICall, _ identifier: PathIdentifier) throws -> HTTPResponse {
        let caller = call.caller
        let (found, fromReplica) = try call.readForThisPrefix { connection in
            try identifier.lookup { text -> PGResult? in
                let result = try connection.query(ObjectRepresentation.query(identifierOrID: text))
                guard result.rowCount == 1 else { return nil }
                // A record the caller may not see is answered exactly like a missing one (DOM-96a).
                return ObjectRepresentation.visible(result, to: caller) ? result : nil
            }
        }
        guard let found, let objectID = try found.int64(0, 0) else {
            throw RegistryError.notFound(notFoundMessage(identifier))
        }
        try call.authorize()
        try call.validateQuery(querySpec)
        let includes = try ObjectIncludes.parse(try call.query)
        guard includes.any else {
            var writer = JSONWriter(capacity: 2048)
            Representations.object.writeObject(found, row: 0, into: &writer)
            return APIResponse.json(200, writer.bytes)
        }
        return ObjectIncludeStream.response(objectID: objectID, includes: includes, call: call,
                                            pool: call.pool(fromReplica: fromReplica), headers: HTTPHeaders())
    }
}

/// The show flags of API-91 (`true`/`false` only, API-48).
struct ObjectIncludes: Sendable {
    /// `generic_files`: active files by identifier, each with `checksums`.
    var files = false
    /// `premis_events` inside each file (`include_all_relations` only).
    var fileEvents = false
    /// `premis_events`: every event of the object, object- and file-level.
    var events = false

    var any: Bool { files || events }

    static func parse(_ query: QueryParameters) throws(RegistryError) -> ObjectIncludes {
        let filters = ListFilters(query)
        var includes = ObjectIncludes()
        includes.files = try filters.boolean("include_files") ?? false
        includes.events = try filters.boolean("include_events") ?? false
        if try filters.boolean("include_all_relations") == true {
            includes = ObjectIncludes(files: true, fileEvents: true, events: true)
        }
        return includes
    }
}
