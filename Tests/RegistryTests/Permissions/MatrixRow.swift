import Foundation

/// Where a request names a record, which decides how an invisible one is answered (DOM-96a).
enum MatrixPlacement: Sendable, Equatable {
    /// In the path, or as the institution a report or audit answer is about: 404 when not visible.
    case path
    /// In a list or export filter: an empty result when not visible.
    case filter
}

/// What a row's request names, with the visibility rule that applies to it (domain.md §7.1, DOM-96a).
enum MatrixNamed: Sendable, Equatable {
    case nothing
    /// An institution: admins see all, everybody else their own.
    case institution(MatrixPlacement)
    /// An object or one of its files, checksums, events or proofs: the show rule (DOM-90..92, DOM-95).
    case object(MatrixPlacement)
    /// The [Compat] confirm paths (#9, #19): the object or file by the show rule, then the open
    /// request covering it, which (as every deletion request) only its institution and admins see.
    case objectAndRequest
    /// Work items, their states, deletion requests, notifications: admins, or the record's institution.
    case tenantRecord
}

/// The per-record rule a route applies after the role (domain.md §7.2, DOM-96).
enum MatrixRule: Sendable {
    /// The role is all it takes.
    case roleOnly
    /// "own": an admin, or a caller of the record's institution (restore, deletion request, cancel).
    case ownInstitution
    /// Only an institutional admin of the record's institution, never an admin: DOM-121 (single
    /// confirmation; the world's requests were made by an admin, so no requester rule applies) and
    /// DOM-131 (a bulk request at `requested` waits for its institution's approval).
    case ownInstitutionalAdminOnly
}

/// Which of the world's targets a row is sent for.
enum MatrixTargetSet: Sendable {
    case none
    case institutions
    case cells
    /// The cells plus each institution's consortia object that no request covers.
    case cellsAndSpares
}

/// The shape of a 200 answer whose rows the matrix checks for tenant scoping (DOM-93, DOM-94).
enum MatrixRows: Sendable, Equatable {
    case none
    /// Institution rows, named by `identifier`.
    case institutions
    /// Rows that carry an object or file identifier in `field` (objects, files, events, checksums…).
    case records(String)
    /// NDJSON lines that carry an object identifier in `field` (the event export).
    case ndjsonRecords(String)
    /// Rows that carry `institution_id` (work items, deletion requests, notifications, audit log).
    case tenant
    /// The alerts object: every array member holds rows with `institution_id`.
    case alerts
}

/// What the model of the spec predicts for one request.
enum MatrixExpectation: Sendable, Equatable {
    /// 401 `invalid API credentials` (API-12).
    case unauthenticated
    /// 404 because the named record (`record`) or the request covering it (`request`) is not visible.
    case notFound(reason: String)
    /// 403 `you are not authorized to do this`.
    case forbidden
    /// Allowed: one of the row's passing statuses; `visible` is false for a filter naming something
    /// the caller may not see (the result must then be empty).
    case passed(visible: Bool)
}

/// One row of the matrix table: a route (or one way of calling it), how to build its request for a
/// target, and the rule the spec gives for it.
struct MatrixRow: Sendable {
    let route: String
    let variant: String
    let methods: [String]
    let named: MatrixNamed
    let targets: MatrixTargetSet
    let roles: Set<MatrixRole>
    let rule: MatrixRule
    /// The statuses an allowed request may get (a read's 200; the 400/409/422 of a write that is
    /// allowed but deliberately invalid, so the matrix changes no data).
    let passes: Set<Int>
    /// Where an admin's allowed call gets something else (e.g. AUD-50: admins must name the institution).
    var adminPasses: Set<Int>?
    let rows: MatrixRows
    /// An unparented list must show rows of the caller's own institution (admins: of both).
    let mustSeeOwnRows: Bool
    /// A list with a visible parent must not be empty.
    let parentHasRows: Bool
    /// The body of a non-GET request (nil: none).
    let body: String?
    /// The path after the prefix, with its query.
    let path: @Sendable (MatrixTarget) -> String

    var label: String { variant.isEmpty ? route : "\(route) (\(variant))" }

    /// The statuses an allowed call of `caller` may get.
    func passes(for caller: MatrixCaller) -> Set<Int> {
        caller.role == .admin ? adminPasses ?? passes : passes
    }

    /// This row with another status for admins' allowed calls.
    func admins(get statuses: Set<Int>) -> MatrixRow {
        var row = self
        row.adminPasses = statuses
        return row
    }

    /// The model of domain.md §7 and DOM-96b: authentication → visibility of what is named →
    /// role → per-record rule → allowed.
    func expectation(for caller: MatrixCaller, target: MatrixTarget) -> MatrixExpectation {
        guard let role = caller.role else { return .unauthenticated }
        let own = target.institution == caller.institution
        var visible = true
        switch named {
        case .nothing:
            break
        case .institution(let placement):
            visible = target.exists && (role == .admin || own)
            if !visible && placement == .path { return .notFound(reason: "record") }
        case .object(let placement):
            visible = target.exists && Self.canShow(role: role, own: own, access: target.access)
            if !visible && placement == .path { return .notFound(reason: "record") }
        case .objectAndRequest:
            guard target.exists, Self.canShow(role: role, own: own, access: target.access) else { return .notFound(reason: "record") }
            guard target.hasOpenRequest, role == .admin || own else { return .notFound(reason: "request") }
        case .tenantRecord:
            guard target.exists, role == .admin || own else { return .notFound(reason: "record") }
        }
        guard roles.contains(role) else { return .forbidden }
        switch rule {
        case .roleOnly: break
        case .ownInstitution: if role != .admin && !own { return .forbidden }
        case .ownInstitutionalAdminOnly: if role != .institutionalAdmin || !own { return .forbidden }
        }
        return .passed(visible: visible)
    }

    /// domain.md §7.1.
    static func canShow(role: MatrixRole, own: Bool, access: String?) -> Bool {
        switch access {
        case "consortia": true
        case "institution": role == .admin || own
        case "restricted": role == .admin || (own && role == .institutionalAdmin)
        default: role == .admin
        }
    }
}

extension MatrixRow {
    /// A read: GET, 200 when allowed.
    static func get(_ route: String, _ variant: String = "", named: MatrixNamed = .nothing, targets: MatrixTargetSet? = nil,
                    roles: Set<MatrixRole> = MatrixRole.all, rows: MatrixRows = .none, mustSeeOwnRows: Bool = false,
                    parentHasRows: Bool = true, _ path: @escaping @Sendable (MatrixTarget) -> String) -> MatrixRow {
        MatrixRow(route: route, variant: variant, methods: ["GET"], named: named, targets: targets ?? defaultTargets(named),
                  roles: roles, rule: .roleOnly, passes: [200], adminPasses: nil, rows: rows, mustSeeOwnRows: mustSeeOwnRows,
                  parentHasRows: parentHasRows, body: nil, path: path)
    }

    /// An action, sent with `body` (an invalid one where possible, so that allowed calls change nothing).
    static func send(_ route: String, _ methods: [String], _ variant: String = "", named: MatrixNamed = .nothing,
                     targets: MatrixTargetSet? = nil, roles: Set<MatrixRole>, rule: MatrixRule = .roleOnly,
                     passes: Set<Int>, body: String?, _ path: @escaping @Sendable (MatrixTarget) -> String) -> MatrixRow {
        MatrixRow(route: route, variant: variant, methods: methods, named: named, targets: targets ?? defaultTargets(named),
                  roles: roles, rule: rule, passes: passes, adminPasses: nil, rows: .none, mustSeeOwnRows: false, parentHasRows: false,
                  body: body, path: path)
    }

    private static func defaultTargets(_ named: MatrixNamed) -> MatrixTargetSet {
        switch named {
        case .nothing: .none
        case .institution: .institutions
        case .object, .tenantRecord: .cells
        case .objectAndRequest: .cellsAndSpares
        }
    }
}
