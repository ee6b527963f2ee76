import HTTPServer
import RegistryCore

/// finish_delete, called by the delete worker after the copies are gone (api-v2.md #10, #20;
/// domain.md DOM-123..126). [Compat] the workers use GET, so GET changes data here (API-81, without
/// `Deprecation`); POST does the same. Admins only; 204 also when the record was already deleted.
enum DeletionFinishRoutes {
    /// `GET`/`POST /files/finish_delete/{file}` (DOM-124).
    static func finishFile(_ call: inout APICall) throws -> HTTPResponse {
        let file = try FileRoutes.findFile(try PathIdentifier(call, "file"), call)
        try call.authorize()
        try call.checkedOptionalBody()
        _ = try DeletionFinishStore.finishFile(file, context: call.workflowContext, database: call.database)
        return WorkflowResponses.noContent()
    }

    /// `GET`/`POST /objects/{obj}/finish_delete` (DOM-125).
    static func finishObject(_ call: inout APICall) throws -> HTTPResponse {
        let object = try FileRoutes.findObject(try PathIdentifier(call, "obj"), call)
        try call.authorize()
        try call.checkedOptionalBody()
        _ = try DeletionFinishStore.finishObject(object, context: call.workflowContext, database: call.database)
        return WorkflowResponses.noContent()
    }
}
