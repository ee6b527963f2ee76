import HTTPServer
import RegistryCore

/// What every API handler may use. Built once at start-up.
public final class APIServices: Sendable {
    public let database: Database
    public let settings: APISettings
    public let logger: JSONLogger
    public let metrics: RegistryMetrics

    /// The event loops' own sessions for the hot reads answered on the loops; nil: every request
    /// goes to a worker (DB_LOOP_READS=false, or no server loops, as in the CLI).
    public let loopReads: LoopDatabase?

    public init(database: Database, settings: APISettings, logger: JSONLogger, metrics: RegistryMetrics,
                loopReads: LoopDatabase? = nil) {
        self.database = database
        self.settings = settings
        self.logger = logger
        self.metrics = metrics
        self.loopReads = loopReads
    }
}
