import Formats
import HTTPServer
import Postgres
import RegistryCore
import Routing

/// The admins' institution forms of html.md WEB-43a (create, edit, deactivate, reactivate); the
/// last two have the effect of `registry institution deactivate|reactivate` (WEB-43b, DOM-51).
enum InstitutionActions {
    static let labels = ["identifier": "Identifier", "name": "Name", "type": "Type", "parent": "Member institution"]

    static func newForm(_ call: inout WebCall) throws -> HTTPResponse {
        try call.authorize(call.caller.isAdmin)
        return try form(&call, identifier: nil, values: ["type": "MemberInstitution"], errors: FormErrors(), status: 200)
    }

    static func create(_ call: inout WebCall) throws -> HTTPResponse {
        try call.authorize(call.caller.isAdmin)
        let values = try submitted(call, identifier: nil)
        let new = NewInstitution(identifier: values["identifier"] ?? "", name: values["name"] ?? "",
                                 type: values["type"] ?? "", parentIdentifier: values["parent"].flatMap { $0.isEmpty ? nil : $0 })
        let audit = call.audit("institution.create", status: 303)
        let settings = call.settings
        do {
            _ = try call.database.transaction {
                try InstitutionStore.create(new, receivingBucketPrefix: settings.receivingBucketPrefix,
                                            restoreBucketPrefix: settings.restoreBucketPrefix, audit: audit, on: $0)
            }
        } catch let error as RegistryError {
            guard case .validation(let fields) = error else { throw error }
            return try form(&call, identifier: nil, values: values, errors: FormErrors(fields, rename: rename), status: 422)
        } catch let error as PGError where error.kind == .uniqueViolation {
            // The name is unique too (case-insensitively); the buckets derive from the identifier.
            let field = error.constraint == "institutions_lower_name_key" ? "name" : "identifier"
            return try form(&call, identifier: nil, values: values,
                            errors: UserActions.errors(field, "has already been taken"), status: 422)
        }
        return call.redirect(to: Links.institution(new.identifier), notice: "institution_created")
    }

    static func editForm(_ call: inout WebCall) throws -> HTTPResponse {
        let institution = try InstitutionPath.visibleInstitution(&call)
        try call.authorize(call.caller.isAdmin)
        let row = try call.read { connection in
            try connection.query("""
                SELECT i.name, i.type, p.identifier FROM institutions i
                LEFT JOIN institutions p ON p.id = i.member_institution_id WHERE i.id = \(institution.id)
                """)
        }
        let values = ["name": row.string(0, 0) ?? "", "type": row.string(0, 1) ?? "", "parent": row.string(0, 2) ?? ""]
        return try form(&call, identifier: institution.identifier, values: values, errors: FormErrors(), status: 200)
    }

    /// `POST /institutions/{identifier}`: name, type and parent; the identifier never changes.
    static func update(_ call: inout WebCall) throws -> HTTPResponse {
        let institution = try InstitutionPath.visibleInstitution(&call)
        try call.authorize(call.caller.isAdmin)
        let values = try submitted(call, identifier: institution.identifier)
        let audit = call.audit("institution.update", status: 303)
        let changed: Bool
        do {
            changed = try call.database.transaction {
                try InstitutionStore.update(identifier: institution.identifier, name: values["name"] ?? "",
                                            type: values["type"] ?? "",
                                            parentIdentifier: values["parent"].flatMap { $0.isEmpty ? nil : $0 },
                                            audit: audit, on: $0)
            }
        } catch let error as RegistryError {
            guard case .validation(let fields) = error else { throw error }
            return try form(&call, identifier: institution.identifier, values: values,
                            errors: FormErrors(fields, rename: rename), status: 422)
        } catch let error as PGError where error.kind == .uniqueViolation {
            return try form(&call, identifier: institution.identifier, values: values,
                            errors: UserActions.errors("name", "has already been taken"), status: 422)
        }
        return call.redirect(to: Links.institution(institution.identifier),
                             notice: changed ? "institution_updated" : "institution_unchanged")
    }

    static func deactivate(_ call: inout WebCall) throws -> HTTPResponse { try setActive(&call, false) }
    static func reactivate(_ call: inout WebCall) throws -> HTTPResponse { try setActive(&call, true) }

    private static func setActive(_ call: inout WebCall, _ active: Bool) throws -> HTTPResponse {
        let institution = try InstitutionPath.visibleInstitution(&call)
        try call.authorize(call.caller.isAdmin)
        let audit = call.audit(active ? "institution.reactivate" : "institution.deactivate", status: 303)
        let changed = try call.database.transaction {
            try InstitutionStore.setActive(active, identifier: institution.identifier, auditNoOp: true, audit: audit, on: $0)
        }
        let notice = changed ? (active ? "institution_reactivated" : "institution_deactivated") : "institution_unchanged"
        return call.redirect(to: Links.institution(institution.identifier), notice: notice)
    }

    /// The store reports the parent as `member_institution_id`; the form calls it `parent`.
    private static let rename = ["member_institution_id": "parent"]

    /// The identifier is taken exactly as typed (DOM-5: no trimming): `x.edu ` is refused as invalid
    /// (DOM-10), as by `registry create institution`, rather than quietly created as `x.edu`.
    private static func submitted(_ call: WebCall, identifier: String?) throws -> [String: String] {
        let form = try call.form
        return ["identifier": identifier ?? (form.first("identifier") ?? ""), "name": form.trimmedField("name") ?? "",
                "type": form.first("type") ?? "", "parent": form.trimmedField("parent") ?? ""]
    }

    private static func form(_ call: inout WebCall, identifier: String?, values: [String: String], errors: FormErrors,
                             status: Int) throws -> HTTPResponse {
        let members = try call.read { connection -> [String] in
            let result = try connection.query("""
                SELECT identifier FROM institutions WHERE type = 'MemberInstitution' ORDER BY identifier
                """)
            return (0..<result.rowCount).compactMap { result.string($0, 0) }
        }
        var context: [String: Any] = [
            "csrf_token": call.csrfToken, "identifier": identifier ?? values["identifier"] ?? "",
            "editing": identifier != nil, "name": values["name"] ?? "",
            "action": identifier.map(Links.institution) ?? "/institutions",
            "type_options": ["options": Options.make([("MemberInstitution", "Member"), ("SubscriptionInstitution", "Subscriber")],
                                                     selected: [values["type"] ?? ""])],
            "parent_options": ["options": Options.make([("", "None (member institution)")]
                                                        + members.filter { $0 != identifier }.map { ($0, $0) },
                                                       selected: [values["parent"] ?? ""])],
        ]
        errors.apply(to: &context, labels: labels)
        let title = identifier.map { "Edit institution \($0)" } ?? "New institution"
        context["heading"] = title
        return call.render(Page(title, template: "institution_form", status: status, context))
    }
}

/// `/institutions` (html.md §4, WEB-43a).
enum InstitutionRoutes {
    static var routes: [WebRoute] {
        [
            WebRoute("institutions.list", [.get], "/institutions", handler: InstitutionPages.list),
            WebRoute("institutions.new", [.get], "/institutions/new", namesRecord: true, handler: InstitutionActions.newForm),
            WebRoute("institutions.create", [.post], "/institutions", namesRecord: true, handler: InstitutionActions.create),
            WebRoute("institutions.show", [.get], "/institutions/{inst}", namesRecord: true, handler: InstitutionPages.show),
            WebRoute("institutions.update", [.post], "/institutions/{inst}", namesRecord: true,
                     handler: InstitutionActions.update),
            WebRoute("institutions.edit", [.get], "/institutions/{inst}/edit", namesRecord: true,
                     handler: InstitutionActions.editForm),
            WebRoute("institutions.deactivate", [.post], "/institutions/{inst}/deactivate", namesRecord: true,
                     handler: InstitutionActions.deactivate),
            WebRoute("institutions.reactivate", [.post], "/institutions/{inst}/reactivate", namesRecord: true,
                     handler: InstitutionActions.reactivate),
        ]
    }
}
