import Foundation

/// Test data written straight into the database (institutions, users, API keys), for tests of
/// routes that need an authenticated caller before the CLI or API that creates them is involved.
extension TestRegistry {
    /// An API caller: the two headers of API-10.
    public struct Credentials: Sendable {
        public let email: String
        public let key: String
        public let userID: Int64

        public var headers: [(name: String, value: String)] {
            [("X-Pharos-API-User", email), ("X-Pharos-API-Key", key)]
        }
    }

    /// Creates a member institution (or a subscriber of `parent`) with its chain head row; returns its id.
    @discardableResult
    public func makeInstitution(_ identifier: String, name: String? = nil, parent: String? = nil) throws -> Int64 {
        let sql = try self.sql()
        let type = parent == nil ? "MemberInstitution" : "SubscriptionInstitution"
        let rows = try sql.query("""
            WITH parent AS (SELECT id FROM institutions WHERE identifier = $4),
                 created AS (
                   INSERT INTO institutions (identifier, name, type, member_institution_id, receiving_bucket, restore_bucket)
                   VALUES ($1, $2, $3, (SELECT id FROM parent), 'aptrust.receiving.' || $1, 'aptrust.restore.' || $1)
                   RETURNING id),
                 head AS (INSERT INTO event_chain_heads (institution_id) SELECT id FROM created)
            SELECT id FROM created
            """, [identifier, name ?? "Institution \(identifier)", type, parent])
        return Int64(rows[0][0] ?? "0") ?? 0
    }

    /// Creates a user with a fresh API key (stored as SHA-256, DOM-57) and returns the credentials.
    public func makeUser(_ email: String, role: String, institution: String, name: String = "Test User") throws -> Credentials {
        let key = (0..<32).map { _ in String(format: "%02x", UInt8.random(in: 0...255)) }.joined()
        let sql = try self.sql()
        let rows = try sql.query("""
            WITH created AS (
                INSERT INTO users (email, name, institution_id, role)
                VALUES ($1, $2, (SELECT id FROM institutions WHERE identifier = $3), $4) RETURNING id),
                 key AS (
                INSERT INTO api_keys (user_id, label, key_hash, key_prefix)
                SELECT id, 'test', sha256(convert_to($5, 'UTF8')), left($5, 8) FROM created)
            SELECT id FROM created
            """, [email, name, institution, role, key])
        IssuedSecrets.record(key)
        return Credentials(email: email, key: key, userID: Int64(rows[0][0] ?? "0") ?? 0)
    }
}
