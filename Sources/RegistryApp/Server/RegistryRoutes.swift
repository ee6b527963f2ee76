import HTTPServer
import Postgres
import RegistryAPI
import RegistryCore
import RegistryWeb
import Routing

/// Every route the server answers: operational endpoints, the JSON API and the HTML view.
enum RegistryRoutes {
    static func build(configuration: RegistryConfiguration, runtime: DatabaseRuntime, logger: JSONLogger,
                      shuttingDown: ShutdownFlag, serverMetrics: ServerMetrics,
                      registryMetrics: RegistryMetrics, loopReads: LoopDatabase?) throws -> (router: Router<Endpoint>, web: WebPipeline) {
        var builder = RouterBuilder<Endpoint>()
        let operations = OperationalEndpoints(
            pool: runtime.primary, replica: runtime.database.replica, migrator: runtime.migrator, shuttingDown: shuttingDown, serverMetrics: serverMetrics,
            registryMetrics: registryMetrics, metricsToken: configuration.metricsToken, version: RegistryVersion.current,
            maxBodyBytes: configuration.maxBodyBytes)
        try operations.register(into: &builder)
        let services = APIServices(database: runtime.database, settings: apiSettings(configuration), logger: logger,
                                   metrics: registryMetrics, loopReads: loopReads)
        try APIPipeline(services: services).register(APIRouteTable.all, into: &builder)
        let web = WebPipeline(services: try WebServices(database: runtime.database, settings: webSettings(configuration),
                                                        logger: logger, metrics: registryMetrics))
        try web.register(into: &builder)
        // html.md §4: the export links of /events and the PREMIS link of an object page, answered by
        // the API's streaming code behind the HTML session.
        try web.registerBridged("events.export", "/events/export", into: &builder) { caller, request in
            try SessionBridges.eventExport(caller: caller, request: request, services: services)
        }
        try web.registerBridged("objects.premis", "/objects/{obj}/premis.xml", into: &builder) { caller, request in
            try SessionBridges.premis(caller: caller, request: request, services: services)
        }
        return (builder.build(), web)
    }

    static func webSettings(_ configuration: RegistryConfiguration) -> WebSettings {
        WebSettings(publicBaseURL: configuration.publicBaseURL, maxBodyBytes: configuration.maxBodyBytes,
                    sessionTimeouts: SessionTimeouts(idleMinutes: configuration.sessionIdleMinutes,
                                                     maxHours: configuration.sessionMaxHours),
                    cookieSecure: configuration.cookieSecure, receivingBucketPrefix: configuration.receivingBucketPrefix,
                    restoreBucketPrefix: configuration.restoreBucketPrefix, serverAgent: configuration.serverAgent,
                    stalledAfterHours: configuration.stalledAfterHours)
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
