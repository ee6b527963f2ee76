import Formats
import HTTPServer
import Postgres
import RegistryCore
import Routing

/// What every HTML handler may use. Built once at start-up.
public final class WebServices: Sendable {
    public let database: Database
    public let settings: WebSettings
    public let logger: JSONLogger
    public let metrics: RegistryMetrics
    let pages: PageRenderer

    /// - Throws: a template in `Templates/` that does not parse (a build defect, found at start-up).
    public init(database: Database, settings: WebSettings, logger: JSONLogger, metrics: RegistryMetrics) throws {
        self.database = database
        self.settings = settings
        self.logger = logger
        self.metrics = metrics
        self.pages = try PageRenderer()
    }
}
