import Formats
import HTTPServer
import Postgres
import RegistryCore
import Routing

/// `/objects` pages and actions (html.md §4, WEB-30).
enum ObjectRoutes {
    static var routes: [WebRoute] {
        [
            WebRoute("objects.list", [.get], "/objects", handler: ObjectListPage.show),
            WebRoute("objects.show", [.get], "/objects/{obj}", namesRecord: true, handler: ObjectShowPage.show),
            // API-6 applies to HTML routes too: `/objects/test.edu/bag 1` sent without escaping.
            WebRoute("objects.restore", [.post], "/objects/{obj}/restore", namesRecord: true,
                     handler: WorkflowActions.restoreObject),
            WebRoute("objects.delete_form", [.get], "/objects/{obj}/delete", namesRecord: true,
                     handler: WorkflowActions.confirmObjectDeletion),
            WebRoute("objects.delete", [.post], "/objects/{obj}/delete", namesRecord: true,
                     handler: WorkflowActions.requestObjectDeletion),
            WebRoute("objects.show_unescaped", [.get], "/objects/{rest...}", namesRecord: true, handler: ObjectShowPage.show),
        ]
    }
}
