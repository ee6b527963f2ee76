/// Applies migrations exactly as OPS-30..32 require:
///
/// 1. A session-level advisory lock is held for the whole run, so processes starting together
///    apply each file exactly once (the others wait, then find nothing pending).
/// 2. `schema_migrations` is created if absent.
/// 3. Verification before anything runs: an applied version whose file's SHA-256 differs →
///    `.changed`; an applied version without a file → `.missing`.
/// 4. Each pending file runs in its own transaction together with the insert of its row; a failing
///    file rolls back completely → `.failed(file:underlying:)`, and later files are not attempted.
///
/// The statement timeout is lifted for the run (a migration or the wait for the lock may exceed
/// it) and restored afterwards with RESET.
public struct Migrator: Sendable {
    /// The advisory lock key: the ASCII bytes of "registry" as a 64-bit integer.
    public static let advisoryLockKey: Int64 = 0x7265_6769_7374_7279

    /// The migrations in numeric order.
    public let migrations: [Migration]

    public init(migrations: [Migration]) {
        self.migrations = migrations.sorted { ($0.number, $0.name) < ($1.number, $1.name) }
    }

    /// Each migration and whether it is applied, in order (`registry migrate --status`, OPS-21).
    /// Does not verify checksums; `migrate` does.
    public func status(on connection: PGConnection) throws(MigrationError) -> [(migration: Migration, applied: Bool)] {
        let applied = try appliedChecksums(on: connection)
        return migrations.map { ($0, applied[$0.version] != nil) }
    }

    /// How many migrations are not applied (`/ready`, OPS-33 and OPS-36).
    public func pendingCount(on connection: PGConnection) throws(MigrationError) -> Int {
        try status(on: connection).filter { !$0.applied }.count
    }

    /// Throws `.changed` / `.missing` / `.duplicateVersion` if the database and the files disagree.
    public func verify(on connection: PGConnection) throws(MigrationError) {
        try verify(applied: appliedChecksums(on: connection))
    }

    /// Applies every pending migration; returns the names applied (empty when up to date).
    public func migrate(on connection: PGConnection) throws(MigrationError) -> [String] {
        guard connection.transactionState == .idle else {
            throw .database(.client("migrate needs a connection outside any transaction"))
        }
        do {
            try connection.execute("SET statement_timeout = 0")
        } catch {
            throw .database(error)
        }
        defer { _ = try? connection.execute("RESET statement_timeout") }
        do {
            _ = try connection.query("SELECT pg_advisory_lock(\(Migrator.advisoryLockKey))")
        } catch {
            throw .database(error)
        }
        defer { _ = try? connection.query("SELECT pg_advisory_unlock(\(Migrator.advisoryLockKey))") }
        do {
            try connection.execute("""
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    version text PRIMARY KEY,
                    name text NOT NULL,
                    sha256 text NOT NULL,
                    applied_at timestamptz NOT NULL DEFAULT now()
                )
                """)
        } catch {
            throw .database(error)
        }
        let applied = try appliedChecksums(on: connection)
        try verify(applied: applied)
        var appliedNow: [String] = []
        for migration in migrations where applied[migration.version] == nil {
            try apply(migration, on: connection)
            appliedNow.append(migration.name)
        }
        return appliedNow
    }

    private func apply(_ migration: Migration, on connection: PGConnection) throws(MigrationError) {
        do {
            try connection.transaction { connection in
                // The simple protocol runs the whole file, several statements, in this transaction.
                try connection.execute(migration.text)
                guard connection.transactionState == .inTransaction else {
                    throw PGError.client("the migration ended the transaction itself (OPS-31 forbids that)")
                }
                _ = try connection.query("""
                    INSERT INTO schema_migrations (version, name, sha256)
                    VALUES (\(migration.version), \(migration.name), \(migration.sha256))
                    """)
            }
        } catch let error as PGError {
            throw .failed(file: migration.name, underlying: error)
        } catch {
            throw .failed(file: migration.name, underlying: .client("\(error)"))
        }
    }

    private func verify(applied: [String: String]) throws(MigrationError) {
        let byVersion = Dictionary(migrations.map { ($0.version, $0) }, uniquingKeysWith: { first, _ in first })
        if byVersion.count != migrations.count {
            let versions = migrations.map(\.version)
            let duplicate = versions.enumerated().first { index, version in versions[..<index].contains(version) }!
            throw .duplicateVersion(duplicate.element)
        }
        for (version, checksum) in applied.sorted(by: { $0.key < $1.key }) {
            guard let migration = byVersion[version] else { throw .missing(version) }
            guard migration.sha256 == checksum else { throw .changed(version) }
        }
    }

    /// version → recorded SHA-256; empty when `schema_migrations` does not exist yet.
    private func appliedChecksums(on connection: PGConnection) throws(MigrationError) -> [String: String] {
        do {
            let exists = try connection.query("SELECT to_regclass('schema_migrations') IS NOT NULL")
            guard try exists.bool(0, 0) == true else { return [:] }
            let rows = try connection.query("SELECT version, sha256 FROM schema_migrations")
            var applied: [String: String] = [:]
            for row in 0..<rows.rowCount {
                applied[rows.string(row, 0) ?? ""] = rows.string(row, 1) ?? ""
            }
            return applied
        } catch {
            throw .database(error)
        }
    }
}
