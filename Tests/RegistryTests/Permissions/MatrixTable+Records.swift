/// The matrix rows for institutions, objects, files, checksums, storage records, events, PREMIS
/// and fixity (api-v2.md §9 #1–#30, #62; the R column and domain.md §7.2). Allowed writes are sent
/// with invalid bodies (422/400) or hit a state check (409), so the matrix changes no data.
extension MatrixTable {
    static let zeros = String(repeating: "0", count: 64)

    static let institutionRows: [MatrixRow] = [
        .get("institutions.list", rows: .institutions, mustSeeOwnRows: true) { _ in "/institutions/?per_page=1000" },
        .get("institutions.list", "identifier filter", named: .institution(.filter), rows: .institutions) {
            "/institutions/?identifier=\($0.institutionIdentifier)"
        },
        .get("institutions.show", named: .institution(.path)) { "/institutions/\($0.institutionIdentifier)/" },
        .get("institutions.show", "by id", named: .institution(.path)) { "/institutions/\($0.institutionID)" },
    ]

    static let objectRows: [MatrixRow] = [
        .get("objects.list", rows: .records("identifier"), mustSeeOwnRows: true) { _ in "/objects/?per_page=1000" },
        .get("objects.list", "institution filter", named: .institution(.filter), rows: .records("identifier")) {
            "/objects/?institution=\($0.institutionIdentifier)&per_page=1000"
        },
        .get("objects.show", "institution's objects", named: .institution(.path), rows: .records("identifier")) {
            "/objects/\($0.institutionIdentifier)/?per_page=1000"
        },
        .get("objects.show", named: .object(.path)) { "/objects/\(workerEncoded($0.objectIdentifier))" },
        .get("objects.show", "by id", named: .object(.path)) { "/objects/\($0.objectID)/" },
        .get("objects.show", "include_all_relations", named: .object(.path)) {
            "/objects/\(workerEncoded($0.objectIdentifier))?include_all_relations=true"
        },
        .get("objects.show_unescaped", named: .object(.path)) { "/objects/\(slashesKept($0.objectIdentifier))" },
        .send("objects.create", ["POST"], named: .institution(.path), roles: MatrixRole.admins, passes: [422], body: "{}") {
            "/objects/\($0.institutionIdentifier)"
        },
        .send("objects.update", ["PUT", "PATCH"], named: .object(.path), roles: MatrixRole.admins, passes: [422],
              body: #"{"title": 5}"#) { "/objects/\(workerEncoded($0.objectIdentifier))" },
        .send("objects.restore", ["PUT"], named: .object(.path), roles: MatrixRole.adminsAndInstAdmins, rule: .ownInstitution,
              passes: [400, 409], body: "{") { "/objects/\(workerEncoded($0.objectIdentifier))/restore" },
        .send("objects.delete", ["DELETE"], named: .object(.path), roles: MatrixRole.adminsAndInstAdmins, rule: .ownInstitution,
              passes: [400], body: "{") { "/objects/\(workerEncoded($0.objectIdentifier))/delete" },
        .send("objects.delete_record", ["DELETE"], named: .object(.path), roles: MatrixRole.adminsAndInstAdmins,
              rule: .ownInstitution, passes: [400], body: "{") { "/objects/\(workerEncoded($0.objectIdentifier))" },
        .send("objects.confirm_delete", ["DELETE"], named: .objectAndRequest, roles: MatrixRole.instAdmins,
              rule: .ownInstitutionalAdminOnly, passes: [409], body: nil) {
            "/objects/\(workerEncoded($0.objectIdentifier))/confirm_delete?confirmation_token=\(zeros)"
        },
        .send("objects.finish_delete", ["GET", "POST"], named: .object(.path), roles: MatrixRole.admins, passes: [409], body: nil) {
            "/objects/\(workerEncoded($0.objectIdentifier))/finish_delete"
        },
        .get("objects.premis", named: .object(.path)) { "/objects/\(workerEncoded($0.objectIdentifier))/premis" },
    ]

    static let fileRows: [MatrixRow] = [
        .get("files.list", rows: .records("identifier"), mustSeeOwnRows: true) { _ in "/files/?per_page=1000" },
        .get("files.list", "object filter", named: .object(.filter), rows: .records("identifier")) {
            "/files/?intellectual_object_identifier=\(workerEncoded($0.objectIdentifier))&per_page=1000"
        },
        .get("files.list", "institution filter", named: .institution(.filter), rows: .records("identifier")) {
            "/files/?institution=\($0.institutionIdentifier)&per_page=1000"
        },
        .get("files.show", "object's files", named: .object(.path), rows: .records("identifier")) {
            "/files/\(workerEncoded($0.objectIdentifier))?per_page=1000"
        },
        .get("files.show", "institution's files", named: .institution(.path), rows: .records("identifier")) {
            "/files/\($0.institutionIdentifier)?per_page=1000"
        },
        .get("files.show", named: .object(.path)) { "/files/\(workerEncoded($0.fileIdentifier))?include_relations=true" },
        .get("files.show", "by id", named: .object(.path)) { "/files/\($0.fileID)/" },
        .get("files.show_unencoded", named: .object(.path)) { "/files/\(slashesKept($0.fileIdentifier))" },
        .send("files.create", ["POST"], roles: MatrixRole.admins, passes: [422], body: "{}") { _ in "/files/" },
        .send("files.create_in_object", ["POST"], named: .object(.path), roles: MatrixRole.admins, passes: [422], body: "{}") {
            "/files/\(workerEncoded($0.objectIdentifier))"
        },
        .send("files.create_batch", ["POST"], named: .object(.path), roles: MatrixRole.admins, passes: [422], body: "[]") {
            "/files/\($0.objectID)/create_batch"
        },
        .send("files.create_batch", ["POST"], "by identifier", named: .object(.path), roles: MatrixRole.admins, passes: [422],
              body: "[]") { "/files/\(workerEncoded($0.objectIdentifier))/create_batch" },
        .send("files.update", ["PUT", "PATCH"], named: .object(.path), roles: MatrixRole.admins, passes: [422],
              body: #"{"size": "one"}"#) { "/files/\(workerEncoded($0.fileIdentifier))" },
        .send("files.restore", ["PUT"], named: .object(.path), roles: MatrixRole.adminsAndInstAdmins, rule: .ownInstitution,
              passes: [400, 409], body: "{") { "/files/restore/\(workerEncoded($0.fileIdentifier))" },
        .send("files.delete", ["DELETE"], named: .object(.path), roles: MatrixRole.adminsAndInstAdmins, rule: .ownInstitution,
              passes: [400], body: "{") { "/files/\(workerEncoded($0.fileIdentifier))" },
        .send("files.confirm_delete", ["DELETE"], named: .objectAndRequest, roles: MatrixRole.instAdmins,
              rule: .ownInstitutionalAdminOnly, passes: [409], body: nil) {
            "/files/confirm_delete/\(workerEncoded($0.fileIdentifier))?confirmation_token=\(zeros)"
        },
        .send("files.finish_delete", ["GET", "POST"], named: .object(.path), roles: MatrixRole.admins, passes: [409], body: nil) {
            "/files/finish_delete/\(workerEncoded($0.fileIdentifier))"
        },
        .get("files.fixity", named: .object(.path)) { "/files/\(workerEncoded($0.fileIdentifier))/fixity" },
        .get("fixity.overdue", rows: .records("identifier"), mustSeeOwnRows: true) { _ in "/fixity/overdue?days=1&per_page=1000" },
        .get("fixity.overdue", "institution filter", named: .institution(.filter), rows: .records("identifier")) {
            "/fixity/overdue?days=1&institution=\($0.institutionIdentifier)&per_page=1000"
        },
    ]

    static let checksumAndStorageRows: [MatrixRow] = [
        .get("checksums.list", rows: .records("generic_file_identifier"), mustSeeOwnRows: true) { _ in "/checksums/?per_page=1000" },
        .get("checksums.list", "file filter", named: .object(.filter), rows: .records("generic_file_identifier")) {
            "/checksums/?generic_file_identifier=\(workerEncoded($0.fileIdentifier))&per_page=1000"
        },
        .get("checksums.list", "institution filter", named: .institution(.filter), rows: .records("generic_file_identifier")) {
            "/checksums/?institution=\($0.institutionIdentifier)&per_page=1000"
        },
        .get("checksums.show", named: .object(.path)) { "/checksums/\($0.checksumID)" },
        .send("checksums.create", ["POST"], named: .object(.path), roles: MatrixRole.admins, passes: [422], body: "{}") {
            "/checksums/\(workerEncoded($0.fileIdentifier))"
        },
        .get("storage_records.list", rows: .records("generic_file_identifier"), mustSeeOwnRows: true) { _ in
            "/storage_records/?per_page=1000"
        },
        .get("storage_records.list", "file filter", named: .object(.filter), rows: .records("generic_file_identifier")) {
            "/storage_records/?generic_file_identifier=\(workerEncoded($0.fileIdentifier))&per_page=1000"
        },
    ]

    static let eventRows: [MatrixRow] = [
        .get("events.list", rows: .records("intellectual_object_identifier"), mustSeeOwnRows: true) { _ in "/events/?per_page=1000" },
        .get("events.list", "object filter", named: .object(.filter), rows: .records("intellectual_object_identifier")) {
            "/events/?object_identifier=\(workerEncoded($0.objectIdentifier))&per_page=1000"
        },
        .get("events.list", "file filter", named: .object(.filter), rows: .records("intellectual_object_identifier")) {
            "/events/?file_identifier=\(workerEncoded($0.fileIdentifier))&per_page=1000"
        },
        .get("events.list", "institution filter", named: .institution(.filter), rows: .records("intellectual_object_identifier")) {
            "/events/?institution=\($0.institutionIdentifier)&per_page=1000"
        },
        .get("events.by_identifier", named: .object(.path)) { "/events/\($0.eventIdentifier)" },
        .get("events.by_identifier", "object's events", named: .object(.path), rows: .records("intellectual_object_identifier")) {
            "/events/\(workerEncoded($0.objectIdentifier))?per_page=1000"
        },
        .get("events.by_identifier", "file's events", named: .object(.path), rows: .records("intellectual_object_identifier")) {
            "/events/\(workerEncoded($0.fileIdentifier))?per_page=1000"
        },
        .get("events.by_identifier", "institution's events", named: .institution(.path),
             rows: .records("intellectual_object_identifier")) { "/events/\($0.institutionIdentifier)?per_page=1000" },
        .get("events.by_identifier_unencoded", named: .object(.path), rows: .records("intellectual_object_identifier")) {
            "/events/\(slashesKept($0.objectIdentifier))?per_page=1000"
        },
        .send("events.create", ["POST"], roles: MatrixRole.admins, passes: [422], body: "{}") { _ in "/events/" },
        .get("events.export", rows: .ndjsonRecords("intellectual_object_identifier"), mustSeeOwnRows: true) { _ in
            "/events/export?format=ndjson"
        },
        .get("events.export", "object filter", named: .object(.filter), rows: .ndjsonRecords("intellectual_object_identifier")) {
            "/events/export?format=ndjson&object_identifier=\(workerEncoded($0.objectIdentifier))"
        },
        .get("events.export", "institution filter", named: .institution(.filter),
             rows: .ndjsonRecords("intellectual_object_identifier")) {
            "/events/export?format=ndjson&institution=\($0.institutionIdentifier)"
        },
        .get("events.proof", named: .object(.path)) { "/events/\($0.eventIdentifier)/proof" },
    ]
}
