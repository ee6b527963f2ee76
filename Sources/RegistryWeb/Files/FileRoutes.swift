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
            WebRoute("files.show_unescaped", [.get], "/files/{rest...}", namesRecord: true, handler: FileShowPage.show),
        ]
    }
}
