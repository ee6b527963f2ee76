import HTTPServer
import RegistryAPI
import RegistryCore
import Routing

/// Every route the server answers: operational endpoints and the JSON API.
enum RegistryRoutes {
    static func build(configuration: RegistryConfiguration, runtime: DatabaseRuntime, logger: JSONLogger,
                      shuttingDown: ShutdownFlag, serverMetrics: ServerMetrics,
                      registryMetrics: RegistryMetrics) throws -> Router<Endpoint> {
        var builder = RouterBuilder<Endpoint>()
        let operations = OperationalEndpoints(
            pool: runtime.primary, migrator: runtime.migrator, shuttingDown: shuttingDown, serverMetrics: serverMetrics,
            registryMetrics: registryMetrics, metricsToken: configuration.metricsToken, version: RegistryVersion.current)
        try operations.register(into: &builder)
        let services = APIServices(database: runtime.database, settings: apiSettings(configuration), logger: logger,
                                   metrics: registryMetrics)
        try APIPipeline(services: services).register(APIRouteTable.all, into: &builder)
        return builder.build()
    }

    static func apiSettings(_ configuration: RegistryConfiguration) -> APISettings {
        APISettings(publicBaseURL: configuration.publicBaseURL, maxBodyBytes: configuration.maxBodyBytes,
                    maxBatchBodyBytes: configuration.maxBatchBodyBytes, maxStateBodyBytes: configuration.maxStateBodyBytes,
                    receivingBucketPrefix: configuration.receivingBucketPrefix,
                    restoreBucketPrefix: configuration.restoreBucketPrefix, serverAgent: configuration.serverAgent,
                    stalledAfterHours: configuration.stalledAfterHours, opsEmail: configuration.opsEmail,
                    exportMaxSeconds: configuration.exportMaxSeconds)
    }
}
