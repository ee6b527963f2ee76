/// The permission matrix as data: one or more rows per API route name (issue 4). The roles and
/// rules here are transcribed from api-v2.md §9 (R column) and domain.md §7.2 — deliberately NOT
/// read from the product's PermissionTable, so the matrix tests the product against the spec.
enum MatrixTable {
    static var all: [MatrixRow] {
        institutionRows + objectRows + fileRows + checksumAndStorageRows + eventRows
            + workItemRows + deletionRows + alertAndNotificationRows + reportAndAuditRows
    }

    static let workItemRows: [MatrixRow] = [
        .get("items.list", rows: .tenant, mustSeeOwnRows: true) { _ in "/items/?per_page=1000" },
        .get("items.list", "institution filter", named: .institution(.filter), rows: .tenant) {
            "/items/?institution=\($0.institutionIdentifier)&per_page=1000"
        },
        // Work items are not an object's children (DOM-94): an object filter is scoped like the
        // institution filter, even for another institution's consortia object.
        .get("items.list", "object filter", named: .institution(.filter), targets: .cells, rows: .tenant) {
            "/items/?object_identifier=\(workerEncoded($0.objectIdentifier))&per_page=1000"
        },
        .get("items.show", named: .tenantRecord) { "/items/\($0.itemID)/" },
        .send("items.create", ["POST"], roles: MatrixRole.admins, passes: [422], body: "{}") { _ in "/items/" },
        .send("items.update", ["PUT", "PATCH"], named: .tenantRecord, roles: MatrixRole.admins, passes: [422],
              body: #"{"retry": "yes"}"#) { "/items/\($0.itemID)/" },
        .send("items.requeue", ["PUT"], named: .tenantRecord, roles: MatrixRole.admins, passes: [400], body: "{") {
            "/items/\($0.itemID)/requeue"
        },
        .send("item_state.upsert", ["POST"], roles: MatrixRole.admins, passes: [422], body: "{}") { _ in "/item_state/" },
        .send("item_state.update", ["PUT", "PATCH"], named: .tenantRecord, roles: MatrixRole.admins, passes: [422],
              body: #"{"state": 5}"#) { "/item_state/\($0.stateID)/" },
        // DOM-96a: "showing an own item's state" is the 403 example; another institution's is a 404.
        .get("item_state.show", named: .tenantRecord, roles: MatrixRole.admins) { "/item_state/\($0.stateID)/" },
    ]

    static let deletionRows: [MatrixRow] = [
        .get("deletions.list", rows: .tenant, mustSeeOwnRows: true) { _ in "/deletions/?per_page=1000" },
        .get("deletions.list", "institution filter", named: .institution(.filter), rows: .tenant) {
            "/deletions/?institution=\($0.institutionIdentifier)&per_page=1000"
        },
        .get("deletions.show", named: .tenantRecord) { "/deletions/\($0.deletionID)" },
        .send("deletions.confirm", ["POST"], named: .tenantRecord, roles: MatrixRole.adminsAndInstAdmins,
              rule: .ownInstitutionalAdminOnly, passes: [400], body: "{") { "/deletions/\($0.deletionID)/confirm" },
        .send("deletions.confirm", ["POST"], "bulk", named: .tenantRecord, targets: .institutions,
              roles: MatrixRole.adminsAndInstAdmins, rule: .ownInstitutionalAdminOnly, passes: [400], body: "{") {
            "/deletions/\($0.bulkDeletionID)/confirm"
        },
        .send("deletions.cancel", ["POST"], named: .tenantRecord, roles: MatrixRole.adminsAndInstAdmins, rule: .ownInstitution,
              passes: [400], body: "{") { "/deletions/\($0.deletionID)/cancel" },
        .send("deletions.trigger_bulk", ["POST"], named: .institution(.path), roles: MatrixRole.admins, passes: [422], body: "{}") {
            "/\($0.institutionIdentifier)/trigger_bulk_delete"
        },
        // The request is named by id in the query: the role comes first (DOM-96b), then the
        // institution in the path (404), then the approval rule (DOM-131), then the token (409).
        .send("deletions.confirm_bulk_institution", ["POST"], named: .institution(.path), roles: MatrixRole.instAdmins,
              rule: .ownInstitutionalAdminOnly, passes: [409], body: nil) {
            "/\($0.institutionIdentifier)/confirm_bulk_delete_institution?bulk_delete_job_id=\($0.bulkDeletionID)&confirmation_token=\(zeros)"
        },
        .send("deletions.confirm_bulk_admin", ["POST"], named: .institution(.path), roles: MatrixRole.admins, passes: [409], body: nil) {
            "/\($0.institutionIdentifier)/confirm_bulk_delete_admin?bulk_delete_job_id=\($0.bulkDeletionID)&confirmation_token=\(zeros)"
        },
    ]

    static let alertAndNotificationRows: [MatrixRow] = [
        .get("alerts.list", roles: MatrixRole.adminsAndInstAdmins, rows: .alerts, mustSeeOwnRows: true) { _ in "/alerts/?limit=1000" },
        .get("alerts.summary", roles: MatrixRole.adminsAndInstAdmins) { _ in "/alerts/summary" },
        // The triggers create notifications when there is something new (200), else nothing (204).
        .send("notifications.failed_fixity", ["GET", "POST"], roles: MatrixRole.admins, passes: [200, 204], body: nil) { _ in
            "/notifications/failed_fixity"
        },
        .send("notifications.successful_restoration", ["GET", "POST"], roles: MatrixRole.admins, passes: [200, 204], body: nil) { _ in
            "/notifications/successful_restoration"
        },
        .send("notifications.deletion", ["GET", "POST"], roles: MatrixRole.admins, passes: [200, 204], body: nil) { _ in
            "/notifications/deletion"
        },
        // The world's items are ingests, not successful restores: 409 (API-132) for the admin.
        .send("notifications.spot_test_restoration", ["GET", "POST"], named: .tenantRecord, roles: MatrixRole.admins,
              passes: [409], body: nil) { "/notifications/spot_test_restoration/\($0.itemID)" },
        .get("notifications.list", roles: MatrixRole.admins, rows: .tenant, mustSeeOwnRows: true) { _ in "/notifications/?per_page=1000" },
        .get("notifications.show", named: .tenantRecord, targets: .institutions, roles: MatrixRole.admins) {
            "/notifications/\($0.notificationID)"
        },
        .get("notifications.attachment", named: .tenantRecord, targets: .institutions, roles: MatrixRole.admins) {
            "/notifications/\($0.notificationID)/attachment"
        },
        .send("notifications.sent", ["POST"], named: .tenantRecord, targets: .institutions, roles: MatrixRole.admins,
              passes: [204], body: nil) { "/notifications/\($0.notificationID)/sent" },
        .send("notifications.failed", ["POST"], named: .tenantRecord, targets: .institutions, roles: MatrixRole.admins,
              passes: [422], body: "{}") { "/notifications/\($0.notificationID)/failed" },
    ]

    /// Reports and audit answers are "about" an institution: naming one the caller may not see is a
    /// 404 (api-v2.md §10.10, auditor.md AUD-50, AUD-54), so they are `.path` placements.
    static let reportAndAuditRows: [MatrixRow] = [
        .get("reports.overview", named: .institution(.path)) { "/reports/overview?institution=\($0.institutionIdentifier)" },
        .get("reports.overview", "own by default") { _ in "/reports/overview" },
        .get("reports.deposits", named: .institution(.path)) { "/reports/deposits?institution=\($0.institutionIdentifier)" },
        .get("reports.deposits", "own by default") { _ in "/reports/deposits" },
        .get("reports.storage", named: .institution(.path)) { "/reports/storage?institution=\($0.institutionIdentifier)" },
        .get("reports.storage", "own by default") { _ in "/reports/storage" },
        .get("audit.head", named: .institution(.path)) { "/audit/head?institution=\($0.institutionIdentifier)" },
        // AUD-50: non-admins default to their own institution; admins must name one (400).
        .get("audit.head", "own by default") { _ in "/audit/head" }.admins(get: [400]),
        .get("audit.heads", roles: MatrixRole.admins) { _ in "/audit/heads" },
        .get("audit.consistency", named: .institution(.path)) {
            "/audit/consistency?institution=\($0.institutionIdentifier)&from_sequence=0"
        },
        .get("audit.consistency", "own by default") { _ in "/audit/consistency?from_sequence=0" }.admins(get: [400]),
        .get("audit.log", roles: MatrixRole.adminsAndInstAdmins, rows: .tenant) { _ in "/audit/log?per_page=1000" },
        // Whether an institution already has audit rows depends on what ran before: no row count asserted.
        .get("audit.log", "institution filter", named: .institution(.filter), roles: MatrixRole.adminsAndInstAdmins,
             rows: .tenant, parentHasRows: false) { "/audit/log?institution=\($0.institutionIdentifier)&per_page=1000" },
    ]
}
