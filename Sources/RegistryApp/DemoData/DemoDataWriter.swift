import CryptoSupport
import Formats
import Postgres
import RegistryCore

/// Writes the demo data set through the same stores the API uses, as `system@aptrust.org` with
/// `auth_method = cli`, so the audit log, the hash chains and the derived counts are exactly what an
/// ingest through the API would leave.
struct DemoDataWriter {
    struct Credential {
        let email: String
        let role: String
        let password: String
        let apiKey: String
    }

    let database: Database
    let configuration: RegistryConfiguration

    func write() throws -> [Credential] {
        let credentials = try database.transaction { connection in try writeInstitutionsAndUsers(on: connection) }
        let system = try database.read { connection in try caller(email: "system@aptrust.org", on: connection) }
        let ingested = Timestamp.now().shifted(by: -3_600_000_000)
        for object in DemoDataSet.objects {
            try ingest(object, at: ingested, as: system)
        }
        try recordFailedFixity(as: system)
        try database.transaction { connection in try writePendingItem(as: system, on: connection) }
        return credentials
    }

    private func writeInstitutionsAndUsers(on connection: PGConnection) throws -> [Credential] {
        for institution in DemoDataSet.institutions {
            _ = try InstitutionStore.create(
                NewInstitution(identifier: institution.identifier, name: institution.name,
                               type: institution.parent == nil ? "MemberInstitution" : "SubscriptionInstitution",
                               parentIdentifier: institution.parent),
                receivingBucketPrefix: configuration.receivingBucketPrefix,
                restoreBucketPrefix: configuration.restoreBucketPrefix,
                audit: .cli("demo-data", action: "institution.create"), on: connection)
        }
        return try DemoDataSet.users.map { user in
            // 24 random hex characters: above WEB-4's minimum, shown once, never stored in clear.
            let password = SecureRandom.hex(byteCount: 12)
            let id = try UserStore.create(NewUser(email: user.email, name: user.name, institutionIdentifier: user.institution,
                                                  role: user.role, password: password),
                                          audit: .cli("demo-data", action: "user.create"), on: connection)
            let key = try APIKeyStore.issue(userID: id, label: "demo", expiresInDays: nil, createdBy: nil,
                                            audit: .cli("demo-data", action: "api_key.issue"), on: connection)
            return Credential(email: user.email, role: user.role, password: password, apiKey: key.key)
        }
    }

    private func caller(email: String, on connection: PGConnection) throws -> Caller {
        let result = try connection.query("""
            SELECT u.id, u.institution_id, i.identifier FROM users u JOIN institutions i ON i.id = u.institution_id
            WHERE u.email = \(email)
            """)
        guard let id = try result.int64(0, 0), let institutionID = try result.int64(0, 1), let institution = result.string(0, 2)
        else { throw PGError(kind: .other, message: "demo user \(email) missing") }
        return Caller(userID: id, email: email, role: .admin, institutionID: institutionID,
                      institutionIdentifier: institution, authMethod: "cli")
    }

    var origin: AuditOrigin { .cli("demo-data") }
}

extension Timestamp {
    /// Demo times are near now, so shifting never leaves the representable range.
    func shifted(by microseconds: Int64) -> Timestamp {
        Timestamp(microseconds: self.microseconds + microseconds)
    }
}
