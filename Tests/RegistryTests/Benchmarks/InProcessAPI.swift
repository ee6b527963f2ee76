@testable import HTTPServer
import Postgres
import RegistryAPI
import RegistryCore
import Routing

/// The whole `/api/v2` pipeline (authentication, routes, stores) in this process, on a pool of ONE
/// database connection, so that every statement a request runs is prepared on that one session and
/// can be read back from `pg_prepared_statements`. The benchmark's pgbench scripts are checked
/// against exactly this (see `BenchmarkSQLTests`).
final class InProcessAPI {
    private let router: Router<Endpoint>
    private let pool: PostgresPool

    init(conninfo: String) throws {
        pool = PostgresPool(PostgresPoolConfiguration(
            connection: PGConnectionSettings(connectionString: conninfo), maximumConnections: 1,
            acquireTimeout: .seconds(10), name: "capture"))
        let settings = APISettings(publicBaseURL: nil, maxBodyBytes: 10 << 20, maxBatchBodyBytes: 100 << 20,
                                   maxStateBodyBytes: 10 << 20, receivingBucketPrefix: "aptrust.receiving.",
                                   restoreBucketPrefix: "aptrust.restore.", serverAgent: "registry",
                                   stalledAfterHours: 12, opsEmail: nil)
        let services = APIServices(database: Database(primary: pool), settings: settings,
                                   logger: JSONLogger(level: .error, fileDescriptor: 2), metrics: RegistryMetrics())
        var builder = RouterBuilder<Endpoint>()
        try APIPipeline(services: services).register(APIRouteTable.all, into: &builder)
        router = builder.build()
    }

    deinit {
        pool.shutdown()
    }

    /// Routes and answers one request as the server would (without the socket layer).
    func send(_ method: HTTPMethod, _ target: String, headers: [(String, String)], body: [UInt8] = []) -> HTTPResponse {
        var fields = HTTPHeaders()
        for (name, value) in headers { fields.add(name, value) }
        let head = RequestHead(method: method, target: target, version: .http1_1, headers: fields,
                               framing: body.isEmpty ? .none : .contentLength(body.count))
        let request = HTTPRequest(head: head, body: body,
                                  context: RequestContext(remoteAddress: "127.0.0.1", scheme: "http", requestID: "bench-sql"),
                                  receivedAt: 0)
        guard case .matched(let endpoint, let template, let parameters) = router.match(method, rawPath: head.path) else {
            return HTTPResponse(status: 599)
        }
        return endpoint.handle(RoutedRequest(http: request, parameters: parameters, template: template))
    }

    /// The SQL texts prepared on the pool's connection so far, in the order they were first
    /// prepared (the cache names them `s1`, `s2`, … in that order).
    func preparedStatements() throws -> [String] {
        try pool.withConnection { connection in
            let result = try connection.execute("SELECT name, statement FROM pg_prepared_statements")
            var named: [(number: Int, sql: String)] = []
            for row in 0..<result.rowCount {
                guard let name = result.string(row, 0), let number = Int(name.dropFirst()),
                      let sql = result.string(row, 1) else { continue }
                named.append((number, sql))
            }
            return named.sorted { $0.number < $1.number }.map(\.sql)
        }
    }
}
