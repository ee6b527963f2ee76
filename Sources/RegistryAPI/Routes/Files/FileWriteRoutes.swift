import Formats
import HTTPServer
import Postgres
import RegistryCore

/// File creates and updates (api-v2.md API-97..99, routes #14–#16). Order of checks (DOM-96b):
/// the path record (404), the role (403), the body (400/415/422), then state (409, in the store).
enum FileWriteRoutes {
    /// API-98: at most this many files per create_batch.
    static let maxBatchFiles = 1000

    /// `POST /files`: the object comes from `intellectual_object_identifier` or `intellectual_object_id`.
    static func createNamingObjectInBody(_ call: inout APICall) throws -> HTTPResponse {
        guard let record = try call.recordBody(wrapper: "generic_file") else {
            throw RegistryError.badRequest("request body is required")
        }
        let object = try objectNamed(in: record, call)
        var errors = FieldErrors()
        if object == nil {
            // API-24/DOM-4: an id of 0 or null and an empty identifier name nothing.
            let named = ObjectNaming.usable(in: record)
            var key = "intellectual_object_id"
            var message = named ? "must name an existing object" : "can't be blank"
            if case .string(let identifier)? = record["intellectual_object_identifier"], !identifier.isEmpty {
                key = "intellectual_object_identifier"
                // DOM-6: U+0000 is invalid in every field (it is never looked up: PostgreSQL refuses it).
                if identifier.utf8.contains(0) { message = "is invalid" }
            }
            errors.add(key, message)
        }
        let input = FileBodyReader.create(record, prefix: "", object: object, errors: &errors)
        try errors.throwIfAny()
        guard let object, let input else { throw RegistryError.validation(errors) }
        return try create([input], in: object, kind: .single, call)
    }

    /// `POST /files/{obj}`.
    static func createInPathObject(_ call: inout APICall) throws -> HTTPResponse {
        let object = try FileRoutes.findObject(try PathIdentifier(call, "obj"), call)
        try call.authorize()
        guard let record = try call.recordBody(wrapper: "generic_file") else {
            throw RegistryError.badRequest("request body is required")
        }
        var errors = FieldErrors()
        let input = FileBodyReader.create(record, prefix: "", object: object, errors: &errors)
        try errors.throwIfAny()
        guard let input else { throw RegistryError.validation(errors) }
        return try create([input], in: object, kind: .single, call)
    }

    /// `POST /files/{id or obj}/create_batch` (API-98, API-63): all or nothing.
    static func createBatch(_ call: inout APICall) throws -> HTTPResponse {
        let object = try FileRoutes.findObject(try PathIdentifier(call, "obj"), call)
        try call.authorize()
        let elements = try call.arrayBody()
        guard !elements.isEmpty, elements.count <= maxBatchFiles else {
            throw RegistryError.validation(FieldErrors("files", "must hold between 1 and \(maxBatchFiles) files"))
        }
        var errors = FieldErrors()
        var inputs: [FileInput] = []
        inputs.reserveCapacity(elements.count)
        for (index, element) in elements.enumerated() {
            guard case .object(let record) = element else {
                errors.add("files[\(index)]", "must be an object")
                continue
            }
            if let input = FileBodyReader.create(record, prefix: "files[\(index)].", object: object, errors: &errors) {
                inputs.append(input)
            }
        }
        try errors.throwIfAny()
        return try create(inputs, in: object, kind: .batch, call)
    }

    private static func create(_ inputs: [FileInput], in object: ObjectRef, kind: FileCreationStore.Kind,
                               _ call: APICall) throws -> HTTPResponse {
        let outcome = try FileCreationStore.create(inputs, in: object, kind: kind, origin: call.origin,
                                                   caller: call.caller, database: call.database)
        countMetrics(outcome, call)
        let documents = try call.database.read {
            try FileDocuments.read(fileIDs: outcome.fileIDs, includes: .checksumsAndEvents, on: $0)
        }
        var writer = JSONWriter(capacity: 4096 * inputs.count)
        switch kind {
        case .single:
            try documents.write(id: outcome.fileIDs[0], into: &writer)
        case .batch:
            writer.beginObject()
            writer.field("count", outcome.fileIDs.count)
            writer.key("next")
            writer.null()
            writer.key("previous")
            writer.null()
            writer.key("results")
            writer.beginArray()
            for id in outcome.fileIDs { try documents.write(id: id, into: &writer) }
            writer.endArray()
            writer.endObject()
        }
        let headers = outcome.everythingReplayed ? HTTPHeaders(["Idempotent-Replayed": "true"]) : HTTPHeaders()
        return APIResponse.json(201, writer.bytes, headers: headers)
    }

    /// `PUT`/`PATCH /files/{file}` (API-99): both behave as PATCH.
    static func update(_ call: inout APICall) throws -> HTTPResponse {
        let file = try FileRoutes.findFile(try PathIdentifier(call, "file"), call)
        try call.authorize()
        guard let record = try call.recordBody(wrapper: "generic_file") else {
            throw RegistryError.badRequest("request body is required")
        }
        let changes = try FileBodyReader.update(record, file: file)
        let outcome = try FileUpdateStore.update(file, changes: changes, origin: call.origin, caller: call.caller,
                                                 database: call.database)
        countMetrics(outcome, call)
        let documents = try call.database.read {
            try FileDocuments.read(fileIDs: [file.id], includes: .checksumsAndEvents, on: $0)
        }
        var writer = JSONWriter(capacity: 8192)
        try documents.write(id: file.id, into: &writer)
        return APIResponse.json(200, writer.bytes)
    }

    /// The object a `POST /files` body names; the identifier wins when both are given (a
    /// disagreeing id is then reported by `ParentClaims`).
    private static func objectNamed(in record: JSONObject, _ call: APICall) throws -> ObjectRef? {
        let caller = call.caller
        let candidates = ObjectNaming.candidates(in: record)
        return try call.database.read { connection in
            for candidate in candidates {
                if let object = try RecordLookups.object(identifierOrID: candidate, caller: caller, on: connection) {
                    return object
                }
            }
            return nil
        }
    }

    /// Metrics of a successful write (after commit: a rolled-back write counts nothing).
    private static func countMetrics(_ outcome: FileWriteOutcome, _ call: APICall) {
        for _ in 0..<outcome.replayedFiles { call.services.metrics.idempotentReplay(resource: "generic_file") }
        for event in outcome.createdEvents {
            call.services.metrics.eventCreated(type: event.eventType, outcome: event.outcome)
        }
    }
}

/// The object a `POST /files` body names: its identifier (a non-empty, non-numeric text) and its
/// positive id, in that order. An id of 0 or null and an empty identifier name nothing (API-24).
enum ObjectNaming {
    static func candidates(in record: JSONObject) -> [String] {
        var candidates: [String] = []
        if case .string(let identifier)? = record["intellectual_object_identifier"], !identifier.isEmpty,
           NumericID.parse(identifier) == nil, !identifier.utf8.contains(0) {
            candidates.append(identifier)
        }
        if case .number(let number)? = record["intellectual_object_id"], let id = number.int64, id > 0 {
            candidates.append(String(id))
        }
        return candidates
    }

    /// Whether the body names an object at all (else the 422 is `can't be blank`). A numeric
    /// identifier text names something (that cannot exist), so it is not blank.
    static func usable(in record: JSONObject) -> Bool {
        if !candidates(in: record).isEmpty { return true }
        if case .string(let identifier)? = record["intellectual_object_identifier"], !identifier.isEmpty { return true }
        return false
    }
}
