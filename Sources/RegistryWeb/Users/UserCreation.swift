import Formats
import HTTPServer
import Postgres
import RegistryCore
import Routing

/// `GET /users/new` and `POST /users` (html.md WEB-41): admins choose any role and institution;
/// inst admins create in their own institution (an `institution` they send is ignored) with the
/// roles they may grant. No password is set: a welcome link (WEB-9) goes to the user and is
/// shown once to the creator, on a 200 `no-store` page.
enum UserCreation {
    static let labels = ["name": "Name", "email": "E-mail", "role": "Role", "institution": "Institution"]

    static func form(_ call: inout WebCall) throws -> HTTPResponse {
        try call.authorize(UserPermissions.canCreate(call.caller))
        return try page(&call, values: [:], errors: FormErrors(), status: 200)
    }

    static func create(_ call: inout WebCall) throws -> HTTPResponse {
        let caller = call.caller
        try call.authorize(UserPermissions.canCreate(caller))
        let form = try call.form
        let values = ["name": form.trimmedField("name") ?? "", "email": form.trimmedField("email") ?? "",
                      "role": form.first("role") ?? "", "institution": form.first("institution") ?? ""]
        // WEB-43a: a role other than one the caller may grant is a 403, a non-role included; a
        // missing one is a form error like any other missing field.
        if let value = values["role"], !value.isEmpty,
           !(Role(rawValue: value).map(UserPermissions.grantableRoles(caller).contains) ?? false) {
            throw RegistryError.forbidden
        }
        let institution = caller.isAdmin ? values["institution"] ?? "" : caller.institutionIdentifier
        let new = NewUser(email: values["email"] ?? "", name: values["name"] ?? "", institutionIdentifier: institution,
                          role: values["role"] ?? "", password: nil)
        let audit = call.audit("user.create", status: 200)
        let base = call.baseURL
        let created: (id: Int64, link: String)
        do {
            created = try call.database.transaction { connection in
                let id = try UserStore.create(new, audit: audit, on: connection)
                return (id, try PasswordTokenStore.issue(userID: id, purpose: .welcome, baseURL: base, on: connection))
            }
        } catch let error as RegistryError {
            guard case .validation(let fields) = error else { throw error }
            return try page(&call, values: values, errors: FormErrors(fields), status: 422)
        } catch let error as PGError where error.kind == .uniqueViolation {
            // Two creates of one e-mail at once: the loser reads as a duplicate.
            return try page(&call, values: values, errors: UserActions.errors("email", "has already been taken"), status: 422)
        }
        let context: [String: Any] = ["name": new.name, "email": EmailAddress.normalized(new.email), "link": created.link,
                                      "href": Links.user(created.id)]
        return call.render(Page("User created", template: "user_created", context))
    }

    private static func page(_ call: inout WebCall, values: [String: String], errors: FormErrors, status: Int) throws -> HTTPResponse {
        let caller = call.caller
        let institutions = try call.read { caller.isAdmin ? try InstitutionChoices.all(on: $0) : [] }
        var context: [String: Any] = [
            "csrf_token": call.csrfToken, "name": values["name"] ?? "", "email": values["email"] ?? "",
            "role_options": ["options": Options.make(UserPermissions.grantableRoles(caller).map { ($0.rawValue, RoleText.label($0)) },
                                                     selected: [values["role"] ?? Role.institutionalUser.rawValue])],
            "institution_options": false,
        ]
        if caller.isAdmin {
            context["institution_options"] = ["options": Options.make(institutions.map { ($0.1, $0.1) },
                                                                      selected: [values["institution"] ?? ""])]
        }
        errors.apply(to: &context, labels: labels)
        return call.render(Page("New user", template: "user_new", status: status, context))
    }
}
