import Formats
import HTTPServer
import Postgres
import RegistryCore
import Routing

/// Every route of the HTML view (html.md §1, §4–§6), assembled from each area's routes.
public enum WebRouteTable {
    public static var all: [WebRoute] {
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

    /// Routes registered with `registerBridged` (their answer comes from the API module).
    public static let bridgedNames = ["events.export", "objects.premis"]
}
