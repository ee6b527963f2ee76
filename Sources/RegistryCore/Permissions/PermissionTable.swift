/// Who may call what: the R column of api-v2.md §9 and the matrix of domain.md §7.2, in ONE place.
///
/// Keyed by route name (the API's `APIRoute.name`, the HTML view's page and form names). A route
/// that is not in this table is denied to every role (fail closed); the server logs it at start-up
/// and a test fails for it. Per-record rules (own institution, access level, requester ≠ confirmer…)
/// are applied by the handlers after this role check, as DOM-96b orders them; visibility is applied
/// before it (404 for what the caller may not see).
public enum PermissionTable {
    private static let all: Set<Role> = [.admin, .institutionalAdmin, .institutionalUser]
    private static let admins: Set<Role> = [.admin]
    private static let adminsAndInstAdmins: Set<Role> = [.admin, .institutionalAdmin]
    private static let instAdmins: Set<Role> = [.institutionalAdmin]

    public static let roles: [String: Set<Role>] = [
        // Institutions (#1, #2).
        "institutions.list": all, "institutions.show": all,
        // Objects (#3–#11).
        "objects.list": all, "objects.show": all, "objects.show_unescaped": all,
        "objects.create": admins, "objects.update": admins,
        "objects.restore": adminsAndInstAdmins,
        "objects.delete": adminsAndInstAdmins, "objects.delete_record": adminsAndInstAdmins,
        "objects.confirm_delete": instAdmins,
        "objects.finish_delete": admins,
        "objects.premis": all,
        // Files (#12–#21).
        "files.list": all, "files.show": all, "files.show_unencoded": all,
        "files.create": admins, "files.create_in_object": admins, "files.create_batch": admins, "files.update": admins,
        "files.restore": adminsAndInstAdmins,
        "files.delete": adminsAndInstAdmins,
        "files.confirm_delete": instAdmins,
        "files.finish_delete": admins,
        "files.fixity": all,
        // Checksums (#22–#24), storage records (#30).
        "checksums.list": all, "checksums.show": all, "checksums.create": admins,
        "storage_records.list": all,
        // Events (#25–#29).
        "events.list": all, "events.by_identifier": all, "events.by_identifier_unencoded": all,
        "events.create": admins, "events.export": all, "events.proof": all,
        // Work items and states (#31–#38).
        "items.list": all, "items.show": all, "items.create": admins, "items.update": admins,
        "items.requeue": admins,
        "item_state.upsert": admins, "item_state.update": admins, "item_state.show": admins,
        // Deletion requests (#39–#44).
        "deletions.list": all, "deletions.show": all,
        "deletions.confirm": adminsAndInstAdmins, "deletions.cancel": adminsAndInstAdmins,
        "deletions.trigger_bulk": admins,
        "deletions.confirm_bulk_institution": instAdmins, "deletions.confirm_bulk_admin": admins,
        // Alerts (#45, #46).
        "alerts.list": adminsAndInstAdmins, "alerts.summary": adminsAndInstAdmins,
        // Notification triggers and outbox (#47–#54).
        "notifications.failed_fixity": admins, "notifications.successful_restoration": admins,
        "notifications.spot_test_restoration": admins, "notifications.deletion": admins,
        "notifications.list": admins, "notifications.show": admins, "notifications.attachment": admins,
        "notifications.sent": admins, "notifications.failed": admins,
        // Reports (#55–#57).
        "reports.overview": all, "reports.deposits": all, "reports.storage": all,
        // Audit (#58–#62).
        "audit.head": all, "audit.heads": admins, "audit.consistency": all, "audit.log": adminsAndInstAdmins,
        "fixity.overdue": all,

        // The staff HTML view (html.md §4–§6): the same matrix for the pages and forms.
        "web.dashboard": all, "web.logout": all, "web.account.show": all,
        "web.account.password_form": all, "web.account.password": all,
        "web.objects.list": all, "web.objects.show": all, "web.objects.show_unescaped": all,
        "web.objects.restore": adminsAndInstAdmins, "web.objects.delete_form": adminsAndInstAdmins,
        "web.objects.delete": adminsAndInstAdmins,
        "web.files.show": all, "web.files.show_unescaped": all,
        "web.files.restore": adminsAndInstAdmins, "web.files.delete_form": adminsAndInstAdmins,
        "web.files.delete": adminsAndInstAdmins,
        "web.events.list": all, "web.events.show": all, "web.events.export": all, "web.objects.premis": all,
        "web.items.list": all, "web.items.show": all, "web.items.state": admins, "web.items.requeue": admins,
        "web.alerts": adminsAndInstAdmins,
        "web.deletions.list": all, "web.deletions.show": all,
        "web.deletions.confirm": adminsAndInstAdmins, "web.deletions.cancel": adminsAndInstAdmins,
        "web.users.list": adminsAndInstAdmins, "web.users.new": adminsAndInstAdmins, "web.users.create": adminsAndInstAdmins,
        // A user page, role change, (de)activation, reset and keys are checked against the TARGET
        // user (WEB-40, UserPermissions); an inst user may see and act on themselves only.
        "web.users.show": all, "web.users.role": adminsAndInstAdmins, "web.users.deactivate": adminsAndInstAdmins,
        "web.users.reactivate": adminsAndInstAdmins, "web.users.password_reset": adminsAndInstAdmins,
        "web.users.api_keys": all, "web.api_keys.revoke": all,
        "web.institutions.list": all, "web.institutions.show": all,
        "web.institutions.new": admins, "web.institutions.create": admins, "web.institutions.edit": admins,
        "web.institutions.update": admins, "web.institutions.deactivate": admins, "web.institutions.reactivate": admins,
    ]

    /// The roles allowed on `route`; empty for a route the table does not know (denied).
    public static func roles(for route: String) -> Set<Role> {
        roles[route] ?? []
    }
}
