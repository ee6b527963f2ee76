import Formats
import HTTPServer
import Postgres
import RegistryCore
import Routing

/// `GET /deletions/{id}` (html.md §4, WEB-31): the request, its people and times, the covered
/// objects and files (first 50 and the count), their Delete work items; the Confirm / Approve form
/// when the caller may take the step the request waits for and the e-mail link's `token` is in the
/// query; Cancel while it waits (DOM-127).
enum DeletionShowPage {
    static let listLimit = 50

    static func show(_ call: inout WebCall) throws -> HTTPResponse {
        let request = try DeletionPath.visibleRequest(&call)
        try call.authorize()
        let query = try call.query
        for item in query.items where item.name != "token" {
            throw RegistryError.badRequest("unknown query parameter: \(item.name)")
        }
        let token = query.first("token").flatMap { $0.isEmpty ? nil : $0 }
        // WEB-31: a link whose token can no longer be used says so (same element as a refused confirm),
        // and offers no form that could only fail.
        let tokenError = token.flatMap { linkError(request, token: $0) }
        return try render(&call, request, token: tokenError == nil ? token : nil, error: tokenError, status: 200)
    }

    /// Why the e-mailed `token` cannot take the step the request waits for (the confirm action's own
    /// checks, `DeletionRules.tokenProblem`), in the page's words.
    static func linkError(_ request: DeletionRequestRecord, token: String) -> String? {
        switch DeletionRules.tokenProblem(request, token: token, expected: nil) {
        case .notWaiting?: "This link can no longer be used: deletion request \(request.id) is \(request.status)."
        case .expired?: "The confirmation link of deletion request \(request.id) has expired."
        case .invalid?: "The confirmation link of deletion request \(request.id) is not valid or has already been used."
        case nil: nil
        }
    }

    /// Also used by the confirm and cancel actions to show what went wrong (409) on the page.
    static func render(_ call: inout WebCall, _ request: DeletionRequestRecord, token: String?, error: String?,
                       status: Int) throws -> HTTPResponse {
        let caller = call.caller
        let id = request.id
        var main: PGQuery = "SELECT "
        main.append(DeletionListQuery.statusColumn)
        main.append("""
            , d.kind, i.identifier, ru.email, d.requested_at, d.token_expires_at, iu.email, d.inst_approved_at, au.email,
              d.aptrust_approved_at, cu.email, d.cancelled_at, d.completed_at, d.note
            """)
        main.append(DeletionListQuery.from)
        main.append(" WHERE d.id = \(id)")
        let results = try call.read { connection -> [PGResult] in
            [try connection.query(main),
             try connection.query("""
                SELECT o.identifier, o.state, count(*) OVER () FROM deletion_request_objects x
                JOIN intellectual_objects o ON o.id = x.intellectual_object_id
                WHERE x.deletion_request_id = \(id) ORDER BY o.identifier LIMIT \(listLimit)
                """),
             try connection.query("""
                SELECT f.identifier, f.state, count(*) OVER () FROM deletion_request_files y
                JOIN generic_files f ON f.id = y.generic_file_id
                WHERE y.deletion_request_id = \(id) ORDER BY f.identifier LIMIT \(listLimit)
                """),
             try connection.query("""
                SELECT w.id, w.generic_file_identifier, w.stage, w.status, count(*) OVER () FROM work_items w
                WHERE w.deletion_request_id = \(id) ORDER BY w.id LIMIT \(listLimit)
                """)]
        }
        let row = results[0]
        var fields = FieldList()
        fields.text("Status", row.string(0, 0))
        fields.text("Kind", row.string(0, 1))
        fields.link("Institution", row.string(0, 2), href: row.string(0, 2).map(Links.institution))
        fields.text("Requested by", row.string(0, 3))
        fields.time("Requested", try row.timestamp(0, 4))
        fields.time("Confirmation link valid until", try row.timestamp(0, 5))
        fields.text("Institutional approver", row.string(0, 6))
        fields.time("Institutional approval", try row.timestamp(0, 7))
        fields.text("APTrust approver", row.string(0, 8))
        fields.time("APTrust approval", try row.timestamp(0, 9))
        fields.text("Cancelled by", row.string(0, 10))
        fields.time("Cancelled", try row.timestamp(0, 11))
        fields.time("Completed", try row.timestamp(0, 12))
        fields.text("Note", row.string(0, 13))

        let step = DeletionRules.step(kind: request.kind, status: request.status)
        var context: [String: Any] = [
            "id": id, "fields": fields.rows, "error": error ?? false, "csrf_token": call.csrfToken,
            "objects": try records(results[1], link: Links.object), "object_count": total(results[1]),
            "files": try records(results[2], link: Links.file), "file_count": total(results[2]),
            "items": try (0..<results[3].rowCount).map { index -> [String: Any] in
                let itemID = try results[3].int64(index, 0) ?? 0
                return ["href": Links.item(itemID), "id": itemID, "file": results[3].string(index, 1) ?? "",
                        "stage": results[3].string(index, 2) ?? "", "status": results[3].string(index, 3) ?? ""]
            },
            "item_count": total(results[3], column: 4), "confirm": false, "cancel": false, "needs_link": false,
        ]
        if let step, !request.isExpired {
            let label = switch step {
            case .confirmSingle: "Confirm deletion"
            case .approveForInstitution: "Approve for the institution"
            case .approveForAPTrust: "Approve for APTrust"
            }
            if try DeletionApprovalStore.mayApprove(request, step: step, caller: caller, database: call.database) {
                if let token, !token.isEmpty {
                    context["confirm"] = ["action": Links.deletion(id) + "/confirm", "token": token, "label": label]
                } else {
                    context["needs_link"] = true
                }
            } else if let token, !token.isEmpty, error == nil {
                // WEB-31: a valid link opened by someone DOM-121 does not let take the step (the
                // requester who is not the sole institutional admin, an inst user, …) is told so.
                context["error"] = "You may not take this step (\(label.lowercased())) of deletion request \(id)."
            }
        }
        if request.isAwaitingApproval && DeletionRules.isAdminOrOwnInstitutionalAdmin(caller, institutionID: request.institutionID) {
            context["cancel"] = ["action": Links.deletion(id) + "/cancel"]
        }
        return call.render(Page("Deletion request \(id)", template: "deletion", status: status, context))
    }

    private static func records(_ result: PGResult, link: (String) -> String) throws -> [[String: Any]] {
        (0..<result.rowCount).map { row in
            let identifier = result.string(row, 0) ?? ""
            return ["identifier": identifier, "href": link(identifier), "state": Display.state(result.string(row, 1) ?? "")]
        }
    }

    private static func total(_ result: PGResult, column: Int = 2) -> String {
        Display.grouped(result.rowCount == 0 ? 0 : ((try? result.int64(0, column)) ?? 0))
    }
}

/// Resolving `{id}` to a deletion request the caller may see (admins all, others their
/// institution's, DOM-96a).
enum DeletionPath {
    static func visibleRequest(_ call: inout WebCall) throws -> DeletionRequestRecord {
        let caller = call.caller
        guard let id = call.parameters.int64("id"),
              let found = try call.read({ try DeletionRequestRecord.load(id: id, on: $0) }),
              caller.isAdmin || found.institutionID == caller.institutionID else {
            throw RegistryError.notFound("deletion request not found: \(call.parameters.raw("id") ?? "")")
        }
        return found
    }
}
