import CryptoSupport
import Formats
import HTTPServer
import Postgres
import RegistryCore
import RegistryAPI
import Routing
import Synchronization

/// `/health`, `/ready` and `/metrics` (operations.md OPS-35..38). No authentication, except the
/// optional bearer token on `/metrics`.
struct OperationalEndpoints: Sendable {
    let pool: PostgresPool
    /// `DATABASE_READ_URL`'s pool, reported beside the primary (`pool="replica"`, OPS-37).
    let replica: PostgresPool?
    let migrator: Migrator
    let shuttingDown: ShutdownFlag
    let serverMetrics: ServerMetrics
    let registryMetrics: RegistryMetrics
    let metricsToken: String?
    let version: String
    /// OPS-51: `MAX_BODY_BYTES` holds for every route; these routes read no body, but one that fits
    /// the limit is read and dropped, as on any other GET, not refused.
    let maxBodyBytes: Int
    /// What `/ready` last saw of the migrations, reported while the database cannot be asked.
    /// `serve` starts only with no migration pending (OPS-33), hence `current` at first.
    private let migrationsSeenCurrent = LastSeen()
    /// The database half of `/ready`, bounded in time (see ReadinessProbe).
    private let probe: ReadinessProbe

    init(pool: PostgresPool, replica: PostgresPool?, migrator: Migrator, shuttingDown: ShutdownFlag,
         serverMetrics: ServerMetrics, registryMetrics: RegistryMetrics, metricsToken: String?, version: String,
         maxBodyBytes: Int) {
        self.pool = pool
        self.replica = replica
        self.migrator = migrator
        self.shuttingDown = shuttingDown
        self.serverMetrics = serverMetrics
        self.registryMetrics = registryMetrics
        self.metricsToken = metricsToken
        self.version = version
        self.maxBodyBytes = maxBodyBytes
        probe = ReadinessProbe {
            guard pool.ping(timeout: .seconds(1)) else { return .init(databaseOK: false, migrationsCurrent: false) }
            let pending = try? pool.withConnection { try migrator.pendingCount(on: $0) }
            return .init(databaseOK: true, migrationsCurrent: pending.map { $0 == 0 } ?? false)
        }
    }

    func register(into routes: inout RouterBuilder<Endpoint>) throws {
        // /health touches nothing but memory, so it is answered on the event loop.
        try routes.add([.get], "/health", handler: Endpoint(bodyLimit: maxBodyBytes, inline: true) { _ in
            APIResponse.json(200, Array(#"{"status":"ok"}"#.utf8))
        })
        try routes.add([.get], "/ready", handler: Endpoint(bodyLimit: maxBodyBytes) { _ in ready() })
        try routes.add([.get], "/metrics", handler: Endpoint(bodyLimit: maxBodyBytes) { request in metrics(request.http) })
    }

    /// OPS-36: database reachable within 1 s, no pending migration, not shutting down.
    private func ready() -> HTTPResponse {
        let stopping = shuttingDown.isSet
        var databaseOK = false
        var migrationsCurrent = migrationsSeenCurrent.value.load(ordering: .relaxed)
        // The ping's own 1 s plus a little for the migrations query: past that the database is
        // unreachable for OPS-36, whatever the check is still waiting for.
        if let outcome = probe.outcome(timeoutNanoseconds: 1_500_000_000), outcome.databaseOK {
            databaseOK = true
            migrationsCurrent = outcome.migrationsCurrent
            migrationsSeenCurrent.value.store(migrationsCurrent, ordering: .relaxed)
        }
        var writer = JSONWriter(capacity: 128)
        writer.beginObject()
        writer.field("status", databaseOK && migrationsCurrent && !stopping ? "ready" : "not ready")
        writer.field("database", databaseOK ? "ok" : "unreachable")
        // OPS-36 knows two values; with the database unreachable, the last one seen.
        writer.field("migrations", migrationsCurrent ? "current" : "pending")
        writer.field("shutting_down", stopping)
        writer.endObject()
        guard databaseOK && migrationsCurrent && !stopping else {
            return APIResponse.json(503, writer.bytes, headers: HTTPHeaders(["Retry-After": "5"]))
        }
        return APIResponse.json(200, writer.bytes)
    }

    /// OPS-37, Prometheus text format 0.0.4.
    private func metrics(_ request: HTTPRequest) -> HTTPResponse {
        if let metricsToken {
            // RFC 9110 §11.1: the scheme name is case-insensitive; the token is compared in
            // constant time.
            let presented = (request.headers["Authorization"] ?? "").split(separator: " ", maxSplits: 1)
            let token = presented.count == 2 && presented[0].lowercased() == "bearer" ? String(presented[1]) : ""
            guard ConstantTime.equals(Array(token.utf8), Array(metricsToken.utf8)) else {
                var response = HTTPResponse.text(401, "unauthorized\n")
                response.headers.set("WWW-Authenticate", "Bearer")
                return response
            }
        }
        var text = ""
        serverMetrics.render(into: &text)
        PoolMetrics.render([pool.stats()] + (replica.map { [$0.stats()] } ?? []), into: &text)
        registryMetrics.render(into: &text)
        // A gauge read at scrape time: the outbox lives in the database (OPS-70), not in this process.
        let pending = try? pool.withConnection { connection in
            try connection.query("SELECT count(*) FROM notifications WHERE status = 'pending'").int64(0, 0)
        }
        // The family is always present (OPS-37); while the database cannot be read it has no
        // sample rather than a made-up one.
        text += "# HELP registry_notifications_pending Notifications waiting for the relay.\n"
        text += "# TYPE registry_notifications_pending gauge\n"
        if let pending { text += "registry_notifications_pending \(pending)\n" }
        text += "# HELP registry_build_info Build information.\n# TYPE registry_build_info gauge\n"
        text += "registry_build_info{version=\"\(prometheusLabel(version))\"} 1\n"
        text += "# HELP process_start_time_seconds Start time of the process since unix epoch in seconds.\n"
        text += "# TYPE process_start_time_seconds gauge\nprocess_start_time_seconds \(ProcessStats.startTime)\n"
        text += "# HELP process_resident_memory_bytes Resident memory size in bytes.\n"
        text += "# TYPE process_resident_memory_bytes gauge\nprocess_resident_memory_bytes \(ProcessStats.residentMemoryBytes())\n"
        // Exactly the media type OPS-37 names; the 0.0.4 text format is UTF-8 by definition.
        return .bytes(200, contentType: "text/plain; version=0.0.4", Array(text.utf8))
    }
}

/// Set when SIGTERM/SIGINT arrives, before anything else happens (OPS-45: `/ready` goes 503 first).
final class ShutdownFlag: Sendable {
    private let flag = Atomic<Bool>(false)
    var isSet: Bool { flag.load(ordering: .relaxed) }
    func set() { flag.store(true, ordering: .relaxed) }
}

/// A flag shared by the copies of `OperationalEndpoints` (one per route closure).
private final class LastSeen: Sendable {
    let value = Atomic<Bool>(true)
}
