import HTTPServer
import RegistryCore
import Routing

/// `/events` (api-v2.md §9 routes #25, #26, #27; auditor.md §1). PUT, PATCH and DELETE exist on no
/// event path, so the router answers them with 405 and `Allow` (DOM-80, API-101).
enum EventRoutes {
    static var routes: [APIRoute] {
        [
            APIRoute("events.list", [.get], "/events", member: [.get], namesRecord: false, query: EventListQuery.spec, handler: list),
            APIRoute("events.create", [.post], "/events", namesRecord: false,
                     handler: create),
            // `{uuid}` (named as route #26, for the OPS-38 label) is an event UUID (show), or an
            // institution, object or file whose events are listed (API-5); the query spec is the
            // list's, and a show narrows it to none.
            APIRoute("events.by_identifier", [.get], "/events/{uuid}", member: [.get], namesRecord: true, query: EventListQuery.spec,
                     constraints: ["uuid": PathKindConstraint.eventsRead], handler: byPathSegment),
            // API-6 [Compat]: GET/HEAD with an unencoded identifier (`/events/test.edu/bag1`); the
            // router tries it only when no other route matches the path.
            APIRoute("events.by_identifier_unencoded", [.get], "/events/{rest...}", member: [.get],
                     namesRecord: true, query: EventListQuery.spec, handler: byRemainder),
        ]
    }

    static func list(_ call: inout APICall) throws -> HTTPResponse {
        try EventList.respond(&call, path: nil)
    }

    static func byPathSegment(_ call: inout APICall) throws -> HTTPResponse {
        try byIdentifier(&call, try PathIdentifier(call, "uuid"))
    }

    static func byRemainder(_ call: inout APICall) throws -> HTTPResponse {
        try byIdentifier(&call, try PathIdentifier(remainder: call.parameters.raw("rest") ?? ""))
    }

    /// API-5: the kind of `{uuid}` chooses show or list; any other kind (a numeric id included: no
    /// event route takes one) is a 404.
    private static func byIdentifier(_ call: inout APICall, _ identifier: PathIdentifier) throws -> HTTPResponse {
        switch identifier.kind {
        case .uuid:
            return try EventShow.respond(&call, identifier)
        case .institution, .object, .file:
            return try EventList.respond(&call, path: identifier)
        case .numericID, .unknown:
            throw RegistryError.notFound("event not found: \(identifier.literal)")
        }
    }

    /// `POST /events` (API-100, API-101): 201 with the event; a replay is 201 with
    /// `Idempotent-Replayed: true` (API-60).
    static func create(_ call: inout APICall) throws -> HTTPResponse {
        guard let record = try call.recordBody(wrapper: "premis_event") else {
            throw RegistryError.badRequest("request body is required")
        }
        let input = EventBody.read(record)
        let stored = try EventCreation.create(input, caller: call.caller, origin: call.origin, database: call.database,
                                              reader: EventShow.reader)
        // Counted after the commit, so rolled-back requests are never counted.
        if stored.replayed {
            call.services.metrics.idempotentReplay(resource: "event")
            return APIResponse.json(201, stored.body, headers: HTTPHeaders(["Idempotent-Replayed": "true"]))
        }
        if let content = input.content {
            call.services.metrics.eventCreated(type: content.eventType, outcome: content.outcome)
        }
        return APIResponse.json(201, stored.body)
    }
}
