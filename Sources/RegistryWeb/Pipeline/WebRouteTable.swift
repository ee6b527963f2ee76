import Formats
import HTTPServer
import Postgres
import RegistryCore
import Routing

/// Every route of the HTML view (html.md §1, §4–§6), assembled from each area's routes.
enum WebRouteTable {
    static var all: [WebRoute] {
        [WebRoute("dashboard", [.get], "/", handler: DashboardPage.show)]
            + LoginRoutes.routes
            + PasswordRoutes.routes
            + AccountPasswordRoutes.routes
            + ObjectRoutes.routes
            + FileRoutes.routes
            + EventRoutes.routes
            + ItemRoutes.routes
            + UserRoutes.routes
            + InstitutionRoutes.routes
            + DeletionRoutes.routes
            + AlertRoutes.routes
    }
}
