import HTTPServer
import RegistryCore
import Routing

/// Deletion workflows (api-v2.md routes #8–#10, #18–#20, #39–#44; §10.8; domain.md §8.6, §8.7).
/// Literal segments (`delete`, `confirm_delete`, `finish_delete`) win over the object and file
/// parameters (API-82): the router tries a literal before a parameter at every segment.
enum DeletionRoutes {
    static let confirmQuery = QuerySpec(["confirmation_token", "requesting_user_id"])
    static let bulkConfirmQuery = QuerySpec(["bulk_delete_job_id", "confirmation_token"])
    static let institutionSegment: [String: SegmentConstraint] = ["inst": .containsDot]

    static var routes: [APIRoute] {
        [
            APIRoute("objects.delete", [.delete], "/objects/{obj}/delete", emptyBody: true,
                     namesRecord: true, handler: DeletionRequestRoutes.requestObject),
            APIRoute("objects.delete_record", [.delete], "/objects/{obj}", emptyBody: true, namesRecord: true,
                     constraints: ["obj": PathKindConstraint.objectsWrite], handler: DeletionRequestRoutes.requestObject),
            APIRoute("objects.confirm_delete", [.delete], "/objects/{obj}/confirm_delete", emptyBody: true, namesRecord: true, query: confirmQuery, handler: DeletionConfirmRoutes.confirmObject),
            APIRoute("objects.finish_delete", [.get, .post], "/objects/{obj}/finish_delete", emptyBody: true,
                     namesRecord: true, handler: DeletionFinishRoutes.finishObject),
            APIRoute("files.delete", [.delete], "/files/{file}", emptyBody: true, namesRecord: true,
                     constraints: ["file": PathKindConstraint.filesWrite], handler: DeletionRequestRoutes.requestFile),
            APIRoute("files.confirm_delete", [.delete], "/files/confirm_delete/{file}", emptyBody: true, namesRecord: true, query: confirmQuery, handler: DeletionConfirmRoutes.confirmFile),
            APIRoute("files.finish_delete", [.get, .post], "/files/finish_delete/{file}", emptyBody: true,
                     namesRecord: true, handler: DeletionFinishRoutes.finishFile),
            APIRoute("deletions.list", [.get], "/deletions", member: [.get], namesRecord: false,
                     query: DeletionListRoutes.querySpec, handler: DeletionListRoutes.list),
            APIRoute("deletions.show", [.get], "/deletions/{id}", member: [.get], namesRecord: true, handler: DeletionListRoutes.show),
            APIRoute("deletions.confirm", [.post], "/deletions/{id}/confirm", namesRecord: true, handler: DeletionConfirmRoutes.confirmByID),
            APIRoute("deletions.cancel", [.post], "/deletions/{id}/cancel", emptyBody: true,
                     namesRecord: true, handler: DeletionRequestRoutes.cancel),
            APIRoute("deletions.trigger_bulk", [.post], "/{inst}/trigger_bulk_delete", body: .batch, namesRecord: true, constraints: institutionSegment, handler: DeletionRequestRoutes.triggerBulk),
            APIRoute("deletions.confirm_bulk_institution", [.post], "/{inst}/confirm_bulk_delete_institution",
                     emptyBody: true, namesRecord: true, query: bulkConfirmQuery,
                     constraints: institutionSegment, handler: { call in
                         try DeletionConfirmRoutes.confirmBulk(&call, step: .approveForInstitution)
                     }),
            APIRoute("deletions.confirm_bulk_admin", [.post], "/{inst}/confirm_bulk_delete_admin",
                     emptyBody: true, namesRecord: true, query: bulkConfirmQuery,
                     constraints: institutionSegment, handler: { call in
                         try DeletionConfirmRoutes.confirmBulk(&call, step: .approveForAPTrust)
                     }),
        ]
    }

    /// `/deletions/{id}`: the request if it exists and the caller may see it (admins: all; others:
    /// their institution's, DOM-96a), else the 404 naming the id as given.
    static func visibleRequest(_ call: APICall) throws -> DeletionRequestRecord {
        let given = try PathIdentifier(call, "id").literal
        let caller = call.caller
        let found: DeletionRequestRecord? = try NumericID.parse(given).flatMap { id in
            try call.database.read { try DeletionRequestRecord.load(id: id, on: $0) }
        }
        guard let found, caller.isAdmin || found.institutionID == caller.institutionID else {
            throw RegistryError.notFound("deletion request not found: \(given)")
        }
        return found
    }

    /// `{inst}` of #42–#44 by identifier or id, visible to the caller (non-admins: their own), or 404.
    static func pathInstitution(_ call: APICall) throws -> InstitutionRef {
        let identifier = try PathIdentifier(call, "inst")
        let caller = call.caller
        let found = try call.database.read { connection in
            try identifier.lookup { try RecordLookups.institution(identifierOrID: $0, caller: caller, on: connection) }
        }
        guard let found else { throw RegistryError.notFound("institution not found: \(identifier.literal)") }
        return found
    }
}
