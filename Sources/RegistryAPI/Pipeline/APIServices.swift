import HTTPServer
import RegistryCore

/// What every API handler may use. Built once at start-up.
public final class APIServices: Sendable {
    public let database: Database
    public let settings: APISettings
    public let logger: JSONLogger
    public let metrics: RegistryMetrics

    public init(database: Database, settings: APISettings, logger: JSONLogger, metrics: RegistryMetrics) {
        self.database = database
        self.settings = settings
        self.logger = logger
        self.metrics = metrics
    }
}
