import Formats
import HTTPServer
import Postgres
import RegistryCore
import Routing

/// `/files` (api-v2.md §10.3, routes #12–#16, and the [Compat] fallback of API-6).
enum FileRoutes {
    static var routes: [APIRoute] {
        [
            APIRoute("files.list", [.get], "/files", member: [.get], namesRecord: false,
                     query: FileList.query, handler: { call in try FileList.respond(call, parent: .none) }),
            // One route for the list by institution or object and the show by identifier or id:
            // they share the path shape, and the decoded parameter decides (API-5).
            APIRoute("files.show", [.get], "/files/{file}", member: [.get], namesRecord: true, query: FileList.query,
                     constraints: ["file": PathKindConstraint.filesRead], handler: { call in
                         try get(&call, try PathIdentifier(call, "file"))
                     }),
            APIRoute("files.show_unencoded", [.get], "/files/{rest...}", member: [.get], namesRecord: true, query: FileList.query, handler: { call in
                         try get(&call, try PathIdentifier(remainder: call.parameters.raw("rest") ?? ""))
                     }),
            APIRoute("files.create", [.post], "/files", namesRecord: false,
                     handler: FileWriteRoutes.createNamingObjectInBody),
            APIRoute("files.create_in_object", [.post], "/files/{obj}", namesRecord: true,
                     constraints: ["obj": PathKindConstraint.filesCreate], handler: FileWriteRoutes.createInPathObject),
            APIRoute("files.create_batch", [.post], "/files/{obj}/create_batch", body: .batch, namesRecord: true, handler: FileWriteRoutes.createBatch),
            APIRoute("files.update", [.put, .patch], "/files/{file}", namesRecord: true,
                     constraints: ["file": PathKindConstraint.filesWrite], handler: FileWriteRoutes.update),
        ]
    }

    /// `GET /files/{x}` by the kind of x (API-5): an institution or an object is a list parent, a
    /// file identifier or numeric id a show. Each record is looked up with the `+` retry of API-4
    /// and answered 404 when missing or invisible (DOM-96a), before the permission check (DOM-96b).
    static func get(_ call: inout APICall, _ identifier: PathIdentifier) throws -> HTTPResponse {
        let caller = call.caller
        switch identifier.kind {
        case .institution:
            let found = try call.database.read { connection in
                try identifier.lookup { try RecordLookups.institution(identifierOrID: $0, caller: caller, on: connection) }
            }
            guard let found else { throw RegistryError.notFound("institution not found: \(identifier.literal)") }
            try call.authorize()
            return try FileList.respond(call, parent: .institution(found))
        case .object:
            let found = try call.database.read { connection in
                try identifier.lookup { try RecordLookups.object(identifierOrID: $0, caller: caller, on: connection) }
            }
            guard let found else { throw RegistryError.notFound("object not found: \(identifier.literal)") }
            try call.authorize()
            return try FileList.respond(call, parent: .object(found))
        case .file, .numericID, .uuid, .unknown:
            let file = try findFile(identifier, call)
            try call.authorize()
            try call.validateQuery(QuerySpec(FileIncludes.names))
            let includes = try FileIncludes.parse(call.query)
            let document = try call.database.read {
                try FileDocuments.read(fileIDs: [file.id], includes: includes, on: $0)
            }
            var writer = JSONWriter(capacity: includes.isEmpty ? 1024 : 16 * 1024)
            try document.write(id: file.id, into: &writer)
            return APIResponse.json(200, writer.bytes)
        }
    }

    /// The file named in the path (identifier or numeric id), visible to the caller, or the 404 of
    /// API-51 naming the decoded identifier.
    static func findFile(_ identifier: PathIdentifier, _ call: APICall) throws -> FileRef {
        let caller = call.caller
        let found: FileRef?
        switch identifier.kind {
        case .file, .numericID:
            found = try call.database.read { connection in
                try identifier.lookup { try RecordLookups.file(identifierOrID: $0, caller: caller, on: connection) }
            }
        default:
            found = nil
        }
        guard let found else { throw fileNotFound(identifier.literal) }
        return found
    }

    static func fileNotFound(_ identifier: String) -> RegistryError {
        .notFound("file not found: \(identifier); check that the identifier was escaped")
    }

    /// The object named in the path by identifier or numeric id, or a 404.
    static func findObject(_ identifier: PathIdentifier, _ call: APICall) throws -> ObjectRef {
        let caller = call.caller
        var found: ObjectRef?
        switch identifier.kind {
        case .object, .numericID:
            found = try call.database.read { connection in
                try identifier.lookup { try RecordLookups.object(identifierOrID: $0, caller: caller, on: connection) }
            }
        default:
            found = nil
        }
        guard let found else { throw RegistryError.notFound("object not found: \(identifier.literal)") }
        return found
    }
}
