import HTTPServer
import RegistryCore

/// Restore requests (api-v2.md routes #7 and #17, §10.7 API-110; domain.md DOM-110, DOM-111).
/// [Compat] the member API also takes them as GET (API-81, answered with `Deprecation: true`).
enum RestoreRoutes {
    static var routes: [APIRoute] {
        [
            APIRoute("objects.restore", [.put], "/objects/{obj}/restore", member: [.put, .get], emptyBody: true,
                     namesRecord: true, getIsDeprecated: true, handler: restoreObject),
            APIRoute("files.restore", [.put], "/files/restore/{file}", member: [.put, .get], emptyBody: true,
                     namesRecord: true, getIsDeprecated: true, handler: restoreFile),
        ]
    }

    /// DOM-96b: 404 for an object the caller cannot see, 403 unless admin or own inst admin, 400/415
    /// for a bad body, 409 for a deleted object or pending work.
    static func restoreObject(_ call: inout APICall) throws -> HTTPResponse {
        let object = try FileRoutes.findObject(try PathIdentifier(call, "obj"), call)
        try call.authorize(DeletionRules.isAdminOrOwnInstitutionalAdmin(call.caller, institutionID: object.institutionID))
        try call.checkedOptionalBody()
        let itemID = try RestoreStore.requestObjectRestore(object, context: call.workflowContext, database: call.database)
        return WorkflowResponses.ok("Your object has been queued for restoration.", workItemID: itemID)
    }

    static func restoreFile(_ call: inout APICall) throws -> HTTPResponse {
        let file = try FileRoutes.findFile(try PathIdentifier(call, "file"), call)
        try call.authorize(DeletionRules.isAdminOrOwnInstitutionalAdmin(call.caller, institutionID: file.object.institutionID))
        try call.checkedOptionalBody()
        let itemID = try RestoreStore.requestFileRestore(file, context: call.workflowContext, database: call.database)
        return WorkflowResponses.ok("Your file has been queued for restoration.", workItemID: itemID)
    }
}
