import Formats
import HTTPServer
import Postgres
import RegistryCore
import Routing

/// Restore and Request-deletion of objects and files (html.md WEB-30; domain.md DOM-110, DOM-111,
/// DOM-120): the record must be visible (404), the caller an admin or an inst admin of its
/// institution (403); a 409 condition is shown as a notice on the record's page with status 409.
/// Deletion goes through a confirmation page that says what will be deleted.
enum WorkflowActions {
    static func restoreObject(_ call: inout WebCall) throws -> HTTPResponse {
        let object = try ObjectPath.visibleObject(&call)
        try call.authorize(DeletionRules.isAdminOrOwnInstitutionalAdmin(call.caller, institutionID: object.institutionID))
        do {
            let itemID = try RestoreStore.requestObjectRestore(object, context: call.workflowContext, database: call.database)
            return call.redirect(to: Links.object(object.identifier), notice: "restore_requested", itemID)
        } catch RegistryError.conflict(let message) {
            return try ObjectShowPage.show(&call, notice: "Restore refused: \(message)", status: 409)
        }
    }

    static func restoreFile(_ call: inout WebCall) throws -> HTTPResponse {
        let file = try FilePath.visibleFile(&call)
        try call.authorize(DeletionRules.isAdminOrOwnInstitutionalAdmin(call.caller, institutionID: file.object.institutionID))
        do {
            let itemID = try RestoreStore.requestFileRestore(file, context: call.workflowContext, database: call.database)
            return call.redirect(to: Links.file(file.identifier), notice: "restore_requested", itemID)
        } catch RegistryError.conflict(let message) {
            return try FileShowPage.show(&call, notice: "Restore refused: \(message)", status: 409)
        }
    }

    /// `GET /objects/{obj}/delete`: what a deletion request would cover, and the form that makes it.
    static func confirmObjectDeletion(_ call: inout WebCall) throws -> HTTPResponse {
        let object = try ObjectPath.visibleObject(&call)
        try call.authorize(DeletionRules.isAdminOrOwnInstitutionalAdmin(call.caller, institutionID: object.institutionID))
        let counts = try call.read { connection in
            try connection.query("SELECT file_count, file_size FROM intellectual_objects WHERE id = \(object.id)")
        }
        let files = try counts.int64(0, 0) ?? 0
        let size = try counts.int64(0, 1) ?? 0
        let context: [String: Any] = [
            "kind": "object", "identifier": object.identifier, "href": Links.object(object.identifier),
            "action": Links.object(object.identifier) + "/delete", "csrf_token": call.csrfToken,
            "covers": "the object and its \(Display.grouped(files)) active files (\(Display.size(size)), \(Display.exactBytes(size)))",
        ]
        return call.render(Page("Request deletion of \(object.identifier)", template: "deletion_confirm", context))
    }

    static func confirmFileDeletion(_ call: inout WebCall) throws -> HTTPResponse {
        let file = try FilePath.visibleFile(&call)
        try call.authorize(DeletionRules.isAdminOrOwnInstitutionalAdmin(call.caller, institutionID: file.object.institutionID))
        let context: [String: Any] = [
            "kind": "file", "identifier": file.identifier, "href": Links.file(file.identifier),
            "action": Links.file(file.identifier) + "/delete", "csrf_token": call.csrfToken,
            "covers": "this one file (\(Display.size(file.size)), \(Display.exactBytes(file.size)))",
        ]
        return call.render(Page("Request deletion of \(file.identifier)", template: "deletion_confirm", context))
    }

    static func requestObjectDeletion(_ call: inout WebCall) throws -> HTTPResponse {
        let object = try ObjectPath.visibleObject(&call)
        try call.authorize(DeletionRules.isAdminOrOwnInstitutionalAdmin(call.caller, institutionID: object.institutionID))
        do {
            let id = try DeletionRequestStore.request(.object(object), context: call.workflowContext, database: call.database)
            return call.redirect(to: Links.deletion(id), notice: "deletion_requested", id)
        } catch RegistryError.conflict(let message) {
            return try ObjectShowPage.show(&call, notice: "Deletion refused: \(message)", status: 409)
        }
    }

    static func requestFileDeletion(_ call: inout WebCall) throws -> HTTPResponse {
        let file = try FilePath.visibleFile(&call)
        try call.authorize(DeletionRules.isAdminOrOwnInstitutionalAdmin(call.caller, institutionID: file.object.institutionID))
        do {
            let id = try DeletionRequestStore.request(.file(file), context: call.workflowContext, database: call.database)
            return call.redirect(to: Links.deletion(id), notice: "deletion_requested", id)
        } catch RegistryError.conflict(let message) {
            return try FileShowPage.show(&call, notice: "Deletion refused: \(message)", status: 409)
        }
    }
}
