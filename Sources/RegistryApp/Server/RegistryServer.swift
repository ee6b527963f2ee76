import HTTPServer
import Postgres
import RegistryAPI
import RegistryCore
import Routing

/// `registry serve` (operations.md OPS-20, OPS-33, OPS-45, OPS-66).
public enum RegistryServer {
    /// Runs until SIGTERM/SIGINT; returns the exit code.
    public static func run(_ configuration: RegistryConfiguration, environment: [String: String]) throws(CommandFailure) -> Int32 {
        // First: a signal from here on is a clean stop (OPS-15, OPS-45), never the default action.
        let signals = SignalWaiter()
        let logger = JSONLogger(level: configuration.logLevel)
        logger.info("starting", ["version": .string(RegistryVersion.current)])
        logger.log(.info, "configuration", fields: configuration.redactedSummary().map { ($0.0, LogValue.string($0.1)) })
        let serverSettings = serverConfiguration(configuration)
        let loopSessions = loopReadSessions(configuration, eventLoops: serverSettings.eventLoops)
        // DB_LOOP_READS is not an OPS-1 setting, so it is reported here rather than in the summary.
        logger.info("event-loop database sessions", ["DB_LOOP_READS": .string(String(configuration.databaseLoopReads)),
                                                     "sessions": .string(String(loopSessions)),
                                                     "pool": .string(String(configuration.databasePoolSize - loopSessions))])
        let runtime = try DatabaseRuntime.open(configuration, environment: environment, logger: logger,
                                               poolSize: configuration.databasePoolSize - loopSessions,
                                               stopRequested: { signals.arrivedSignal() != nil })
        if stoppedBeforeServing(signals, runtime: runtime, logger: logger) { return 0 }
        do {
            try prepareSchema(runtime, configuration: configuration, logger: logger)
        } catch {
            runtime.close()
            throw error
        }
        if stoppedBeforeServing(signals, runtime: runtime, logger: logger) { return 0 }

        let shuttingDown = ShutdownFlag()
        let serverMetrics = ServerMetrics()
        let registryMetrics = RegistryMetrics()
        let loopReads = loopSessions > 0
            ? LoopDatabase(settings: runtime.primary.configuration.connection, eventLoops: loopSessions) : nil
        let server: HTTPServer
        do {
            let (router, web) = try RegistryRoutes.build(
                configuration: configuration, runtime: runtime, logger: logger, shuttingDown: shuttingDown,
                serverMetrics: serverMetrics, registryMetrics: registryMetrics, loopReads: loopReads)
            server = try HTTPServer(configuration: serverSettings,
                                    responder: RegistryResponder(router: router, web: web), logger: logger, metrics: serverMetrics)
        } catch {
            runtime.close()
            throw CommandFailure(exitCode: 1, "cannot start the HTTP server: \(error)")
        }
        logger.info("listening", ["host": .string(configuration.host), "port": .int(server.port)])

        let signal = signals.wait()
        // OPS-45, in order: /ready reports 503 first, then the listener closes, connections drain.
        shuttingDown.set()
        logger.info("shutting down", ["signal": .int(Int(signal)), "grace_s": .int(configuration.shutdownGraceSeconds)])
        let cutOff = server.shutdown(graceSeconds: configuration.shutdownGraceSeconds)
        // After `shutdown`: the event loops that own these sessions have stopped.
        loopReads?.close()
        // The pools close their idle sessions cleanly and refuse new leases; then OPS-45's "closes
        // whatever remains": a session still leased belongs to a worker that outlived the grace
        // period (its client may even be gone, so `cutOff` does not tell), and a worker blocked in
        // a statement would hold the exit until the statement ends. Cut, its transaction rolls back.
        runtime.closePools()
        PGConnection.shutDownAllSessions()
        server.stopWorkers()
        runtime.stopEmbeddedCluster()
        logger.info("stopped", ["requests_cut_off": .int(cutOff)])
        return 0
    }

    /// A signal that arrived while the cluster started or migrations ran: nothing serves yet, so
    /// the process stops here (closing the pools, stopping a cluster it started).
    private static func stoppedBeforeServing(_ signals: SignalWaiter, runtime: DatabaseRuntime, logger: JSONLogger) -> Bool {
        guard let signal = signals.arrivedSignal() else { return false }
        runtime.close()
        logger.info("stopped before serving", ["signal": .int(Int(signal))])
        return true
    }

    /// OPS-33: migrate when MIGRATE_ON_START, else refuse to start while migrations are pending.
    /// Either way a changed or missing applied file refuses (OPS-31).
    private static func prepareSchema(_ runtime: DatabaseRuntime, configuration: RegistryConfiguration,
                                      logger: JSONLogger) throws(CommandFailure) {
        if configuration.migrateOnStart {
            _ = try runtime.migrate(logger: logger)
            return
        }
        let pending: Int
        do {
            pending = try runtime.primary.withConnection { connection in
                try runtime.migrator.verify(on: connection)
                return try runtime.migrator.pendingCount(on: connection)
            }
        } catch {
            throw CommandFailure(exitCode: 1, "migrations: \(error)")
        }
        if pending > 0 {
            throw CommandFailure(exitCode: 1, "\(pending) migration(s) pending and MIGRATE_ON_START=false; run `registry migrate`")
        }
    }

    /// How many of the DB_POOL_SIZE primary connections become the event loops' own sessions
    /// (`LoopDatabase`, one per loop): none when DB_LOOP_READS is off or the pool would keep fewer
    /// than two connections, so the process never opens more than DB_POOL_SIZE (OPS-1).
    static func loopReadSessions(_ configuration: RegistryConfiguration, eventLoops: Int) -> Int {
        guard configuration.databaseLoopReads, configuration.databasePoolSize >= eventLoops + 2 else { return 0 }
        return eventLoops
    }

    static func serverConfiguration(_ configuration: RegistryConfiguration) -> ServerConfiguration {
        var server = ServerConfiguration()
        server.host = configuration.host
        server.port = configuration.port
        server.maxHeaderBytes = configuration.maxHeaderBytes
        // OPS-50 limits the head's bytes only: every field count that fits them is allowed.
        server.maxHeaderCount = configuration.maxHeaderBytes / 4
        server.maxBodyBytes = configuration.maxBodyBytes
        server.headerReadTimeoutSeconds = configuration.headerReadTimeoutSeconds
        server.bodyReadTimeoutSeconds = configuration.bodyReadTimeoutSeconds
        server.idleTimeoutSeconds = configuration.idleTimeoutSeconds
        // The backstop for every stream, a producer blocked on a slow reader included; a minute past
        // EXPORT_MAX_SECONDS so that an export's own deadline (which logs why) ends it first.
        server.streamMaxSeconds = configuration.exportMaxSeconds + 60
        server.maxConnections = configuration.maxConnections
        server.trustProxy = configuration.trustProxy
        // Handlers block on the database: enough threads to keep every pooled connection busy and
        // to let requests wait for one (OPS-56) without starving cheap routes such as /health.
        server.workerThreads = max(16, configuration.databasePoolSize * 4)
        server.quietRoutes = ["/health", "/metrics"]
        return server
    }
}
