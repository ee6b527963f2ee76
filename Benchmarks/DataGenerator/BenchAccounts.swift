import CryptoSupport
import Formats
import Postgres
import RegistryCore

/// Institutions, users and API keys, created through the product's own stores (with their chain
/// heads and audit rows), plus the 9,990 spare keys issue 4's comparison moves in and out of
/// `api_keys`. The plaintext keys and the HTML password are kept in `bench_credentials` so that a
/// reused dataset can still be benchmarked: this is a throw-away benchmark database only.
struct BenchAccounts {
    /// The account every API benchmark request uses.
    static let adminEmail = "bench-admin@aptrust.org"
    /// An institutional admin of big.edu with a password, for the HTML object list (issue 7).
    static let htmlEmail = "admin@big.edu"
    static let htmlPassword = "bench-html-password-2026"

    private struct PlannedUser {
        let email: String
        let institution: String
        let role: String
        let password: String?
        let keyLabels: [String]
    }

    /// 10 keys in all (`DatasetPlan.activeKeys`).
    private static let users: [PlannedUser] = [
        PlannedUser(email: adminEmail, institution: "aptrust.org", role: "admin", password: nil,
                    keyLabels: ["bench", "ingest worker", "fixity worker", "restore worker", "bucket reader"]),
        PlannedUser(email: htmlEmail, institution: "big.edu", role: "institutional_admin", password: htmlPassword,
                    keyLabels: ["scripts"]),
        PlannedUser(email: "user@big.edu", institution: "big.edu", role: "institutional_user", password: nil,
                    keyLabels: ["reports"]),
        PlannedUser(email: "admin@alpha.edu", institution: "alpha.edu", role: "institutional_admin", password: nil,
                    keyLabels: ["scripts"]),
        PlannedUser(email: "admin@beta.edu", institution: "beta.edu", role: "institutional_admin", password: nil,
                    keyLabels: ["scripts"]),
        PlannedUser(email: "admin@gamma.edu", institution: "gamma.edu", role: "institutional_admin", password: nil,
                    keyLabels: ["scripts"]),
    ]

    /// Creates the planned institutions; returns their ids by plan index.
    static func createInstitutions(on connection: PGConnection) throws -> [Int64] {
        try DatasetPlan.institutions.map { planned in
            try InstitutionStore.create(
                NewInstitution(identifier: planned.identifier, name: planned.name,
                               type: planned.parent == nil ? "MemberInstitution" : "SubscriptionInstitution",
                               parentIdentifier: planned.parent),
                receivingBucketPrefix: "aptrust.receiving.", restoreBucketPrefix: "aptrust.restore.",
                audit: .cli("bench-data", action: "institution.create"), on: connection)
        }
    }

    /// Creates the users and their keys, records the credentials, and loads the spare keys.
    static func createUsersAndKeys(on connection: PGConnection) throws {
        try connection.execute("""
            CREATE TABLE bench_credentials (email text NOT NULL, role text NOT NULL, label text NOT NULL,
                                            api_key text NOT NULL, password text);
            CREATE TABLE bench_spare_api_keys (LIKE api_keys INCLUDING DEFAULTS);
            """)
        var userIDs: [Int64] = []
        for user in users {
            let id = try UserStore.create(
                NewUser(email: user.email, name: "Bench \(user.role) \(user.institution)", institutionIdentifier: user.institution,
                        role: user.role, password: user.password),
                audit: .cli("bench-data", action: "user.create"), on: connection)
            userIDs.append(id)
            for label in user.keyLabels {
                let issued = try APIKeyStore.issue(userID: id, label: label, expiresInDays: nil, createdBy: nil,
                                                   audit: .cli("bench-data", action: "api_key.issue"), on: connection)
                _ = try connection.query("""
                    INSERT INTO bench_credentials (email, role, label, api_key, password)
                    VALUES (\(user.email), \(user.role), \(label), \(issued.key), \(user.password))
                    """)
            }
        }
        // Spare keys: random hashes (nobody knows their keys), spread over the users. The identity
        // column is left out of the copy; the benchmark inserts them with fresh ids.
        try connection.execute("ALTER TABLE bench_spare_api_keys DROP COLUMN id")
        try CopyRowBuffer.copy("bench_spare_api_keys", ["user_id", "label", "key_hash", "key_prefix"], on: connection) { rows in
            for number in 0..<DatasetPlan.spareKeys {
                let key = SecureRandom.bytes(32)
                rows.int(userIDs[number % userIDs.count])
                rows.text("spare key \(number)")
                rows.bytea(SHA256.hash(key))
                rows.text(String(Hex.encode(key).prefix(8)))
                try rows.endRow()
            }
        }
    }
}
