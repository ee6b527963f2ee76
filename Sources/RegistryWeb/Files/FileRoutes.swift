import Formats
import HTTPServer
import Postgres
import RegistryCore
import Routing

/// `/files` pages and actions (html.md §4, WEB-30).
enum FileRoutes {
    static var routes: [WebRoute] {
        [
            WebRoute("files.show", [.get], "/files/{file}", namesRecord: true, handler: FileShowPage.show),
            WebRoute("files.restore", [.post], "/files/{file}/restore", namesRecord: true,
                     handler: WorkflowActions.restoreFile),
            WebRoute("files.delete_form", [.get], "/files/{file}/delete", namesRecord: true,
                     handler: WorkflowActions.confirmFileDeletion),
            WebRoute("files.delete", [.post], "/files/{file}/delete", namesRecord: true,
                     handler: WorkflowActions.requestFileDeletion),
            WebRoute("files.show_unescaped", [.get], "/files/{rest...}", namesRecord: true, handler: FileShowPage.show),
        ]
    }
}
