import Foundation
import Synchronization
import TestSupport

/// One request of the matrix: a row sent with one method under one prefix, as one caller, for one target.
struct MatrixJob: Sendable {
    let row: MatrixRow
    let method: String
    let prefix: String
    let caller: MatrixCaller
    let target: MatrixTarget
    /// Adds a query parameter no route accepts (API-45): DOM-96b puts that 400 after the 401, 404
    /// and 403 checks, so only an allowed call may get it.
    var unknownParameter = false

    static let unknownParameterName = "matrix_unknown"

    /// The full request path.
    var path: String {
        let path = prefix + row.path(target)
        guard unknownParameter else { return path }
        return path + (path.contains("?") ? "&" : "?") + Self.unknownParameterName + "=1"
    }

    /// Shared by every job of one (row, method, prefix, caller, query): 404 bodies within it are compared.
    var groupKey: String { "\(row.label)|\(method)|\(prefix)|\(caller.kind.rawValue)|\(unknownParameter)" }
}

/// What one request got: the response, or the transport error (after one retry on a fresh connection).
enum MatrixOutcome: Sendable {
    case response(TestHTTPResponse)
    case failed(String)
}

/// Sends the jobs over a few keep-alive connections in parallel. The order does not matter: the
/// model's predictions depend only on roles, institutions and access levels, which no request of
/// the matrix changes (allowed writes are invalid or refused by state checks).
enum MatrixRunner {
    private final class Shared: Sendable {
        let next = Mutex(0)
        let outcomes: Mutex<[MatrixOutcome?]>

        init(count: Int) {
            outcomes = Mutex(Array(repeating: nil, count: count))
        }
    }

    static func run(_ jobs: [MatrixJob], registry: TestRegistry, connections: Int) -> [MatrixOutcome] {
        let shared = Shared(count: jobs.count)
        DispatchQueue.concurrentPerform(iterations: connections) { _ in
            var client: RawHTTPClient?
            while true {
                let index = shared.next.withLock { value in
                    defer { value += 1 }
                    return value
                }
                guard index < jobs.count else { break }
                let outcome = send(jobs[index], registry: registry, client: &client)
                shared.outcomes.withLock { $0[index] = outcome }
            }
        }
        return shared.outcomes.withLock { $0.map { $0 ?? .failed("not sent") } }
    }

    private static func send(_ job: MatrixJob, registry: TestRegistry, client: inout RawHTTPClient?) -> MatrixOutcome {
        var headers = job.caller.headers
        var body: [UInt8]?
        if job.method != "GET", let text = job.row.body {
            body = Array(text.utf8)
            headers.append(("Content-Type", "application/json"))
        }
        var lastError = ""
        for _ in 0..<2 {
            do {
                let connection = try client ?? registry.client(receiveTimeout: 60)
                client = connection
                let response = try connection.request(method: job.method, path: job.path, headers: headers, body: body)
                if response.headers["Connection"]?.lowercased().contains("close") == true { client = nil }
                return .response(response)
            } catch {
                // The server may close an idle keep-alive connection; one retry on a fresh one.
                client = nil
                lastError = "\(error)"
            }
        }
        return .failed(lastError)
    }
}
