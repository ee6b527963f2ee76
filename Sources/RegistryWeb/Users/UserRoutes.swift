import Formats
import HTTPServer
import Postgres
import RegistryCore
import Routing

/// `/users`, `/api-keys` and `/account` (html.md §4, §6.1).
enum UserRoutes {
    static var routes: [WebRoute] {
        let id = ["id": WebRoute.numeric]
        return [
            WebRoute("users.list", [.get], "/users", namesRecord: true, handler: UserListPage.show),
            WebRoute("users.new", [.get], "/users/new", namesRecord: true, handler: UserCreation.form),
            WebRoute("users.create", [.post], "/users", namesRecord: true, handler: UserCreation.create),
            WebRoute("users.show", [.get], "/users/{id}", namesRecord: true, constraints: id, handler: UserShowPage.show),
            WebRoute("users.role", [.post], "/users/{id}/role", namesRecord: true, constraints: id,
                     handler: UserActions.changeRole),
            WebRoute("users.deactivate", [.post], "/users/{id}/deactivate", namesRecord: true, constraints: id,
                     handler: UserActions.deactivate),
            WebRoute("users.reactivate", [.post], "/users/{id}/reactivate", namesRecord: true, constraints: id,
                     handler: UserActions.reactivate),
            WebRoute("users.password_reset", [.post], "/users/{id}/password-reset", namesRecord: true, constraints: id,
                     handler: UserActions.sendReset),
            WebRoute("users.api_keys", [.post], "/users/{id}/api-keys", namesRecord: true, constraints: id,
                     handler: APIKeyActions.issue),
            WebRoute("api_keys.revoke", [.post], "/api-keys/{id}/revoke", namesRecord: true, constraints: id,
                     handler: APIKeyActions.revoke),
            WebRoute("account.show", [.get], "/account", handler: UserShowPage.account),
        ]
    }
}
