import Foundation

/// One kind of caller of the permission matrix (issue 4: admin, inst admin, inst user, a user of
/// another institution, and every way authentication must fail, API-12).
struct MatrixCaller: Sendable {
    enum Kind: String, Sendable, CaseIterable {
        case admin
        case institutionalAdmin = "inst admin test.edu"
        case institutionalUser = "inst user test.edu"
        case otherInstitutionalAdmin = "inst admin other.edu"
        case deactivatedUser = "deactivated user"
        case revokedKey = "revoked key"
        case expiredKey = "expired key"
        case deactivatedInstitution = "user of a deactivated institution"
        case wrongKey = "wrong key"
        case upperCasedKey = "upper-cased key"
        case noCredentials = "no credentials"
    }

    let kind: Kind
    let email: String
    let key: String
    let userID: Int64
    /// The caller's institution identifier (empty without credentials).
    let institution: String

    /// The role the matrix models for a caller who authenticates; nil for one who must get 401.
    var role: MatrixRole? {
        switch kind {
        case .admin: .admin
        case .institutionalAdmin, .otherInstitutionalAdmin: .institutionalAdmin
        case .institutionalUser: .institutionalUser
        case .deactivatedUser, .revokedKey, .expiredKey, .deactivatedInstitution, .wrongKey, .upperCasedKey, .noCredentials: nil
        }
    }

    /// The two headers of API-10 (none for `noCredentials`).
    var headers: [(name: String, value: String)] {
        kind == .noCredentials ? [] : [("X-Pharos-API-User", email), ("X-Pharos-API-Key", key)]
    }
}

/// The three roles of domain.md §7 (the R column's A, I, U).
enum MatrixRole: Sendable, Hashable {
    case admin, institutionalAdmin, institutionalUser

    static let all: Set<MatrixRole> = [.admin, .institutionalAdmin, .institutionalUser]
    static let admins: Set<MatrixRole> = [.admin]
    static let adminsAndInstAdmins: Set<MatrixRole> = [.admin, .institutionalAdmin]
    static let instAdmins: Set<MatrixRole> = [.institutionalAdmin]
}

/// What a matrix request names: one record (or record family) of one institution and access level,
/// or a record that does not exist. The ids and identifiers are those of the world's fixtures.
struct MatrixTarget: Sendable {
    /// For messages: the object identifier or institution identifier.
    let label: String
    /// The owning institution; nil for the "unknown" target (nothing with these names exists).
    let institution: String?
    /// The access level of the object the records belong to; nil for institution-level targets.
    let access: String?
    /// Whether an open `object`/`file` deletion request covers the object and file.
    var hasOpenRequest = false

    var institutionID: Int64 = 0
    var objectIdentifier = ""
    var objectID: Int64 = 0
    var fileIdentifier = ""
    var fileID: Int64 = 0
    var checksumID: Int64 = 0
    var eventIdentifier = ""
    var itemID: Int64 = 0
    var stateID: Int64 = 0
    /// The `object` deletion request of the cell.
    var deletionID: Int64 = 0
    /// The institution's `bulk` deletion request.
    var bulkDeletionID: Int64 = 0
    var notificationID: Int64 = 0

    init(label: String, institution: String?, access: String?) {
        self.label = label
        self.institution = institution
        self.access = access
    }

    var exists: Bool { institution != nil }

    /// The institution identifier as a path or query names it.
    var institutionIdentifier: String { institution ?? "nosuch.edu" }

    /// Records that do not exist, shaped like the world's (same kinds of identifier, API-5).
    static let unknown: MatrixTarget = {
        var target = MatrixTarget(label: "unknown", institution: nil, access: nil)
        target.institutionID = 987_654_320
        target.objectIdentifier = "test.edu/no such bag"
        target.objectID = 987_654_321
        target.fileIdentifier = "test.edu/no such bag/data/file 1.txt"
        target.fileID = 987_654_322
        target.checksumID = 987_654_323
        target.eventIdentifier = "00000000-0000-4000-8000-000000000000"
        target.itemID = 987_654_324
        target.stateID = 987_654_325
        target.deletionID = 987_654_326
        target.bulkDeletionID = 987_654_327
        target.notificationID = 987_654_328
        return target
    }()
}

/// The workers' percent-encoding: every byte but `A–Z a–z 0–9 - _ . ~` (api-v2.md API-1).
func workerEncoded(_ text: String) -> String {
    text.addingPercentEncoding(withAllowedCharacters: CharacterSet(charactersIn:
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~")) ?? text
}

/// An identifier sent unescaped as API-6 allows: each `/`-separated part encoded, the slashes kept.
func slashesKept(_ text: String) -> String {
    text.split(separator: "/", omittingEmptySubsequences: false).map { workerEncoded(String($0)) }.joined(separator: "/")
}
