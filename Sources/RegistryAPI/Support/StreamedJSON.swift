import Formats
import HTTPServer
import Postgres
import RegistryCore

/// JSON written to a streamed response body in pieces of about `chunkBytes`.
///
/// Performance: one reused buffer, handed to the connection whenever it passes the threshold, so
/// memory stays bounded whatever the response size, while each `write` (a syscall, a chunk header
/// and a gzip flush) still carries tens of kilobytes. Keep the threshold well above a row's size.
struct StreamedJSON {
    static let chunkBytes = 64 * 1024

    let writer: any ResponseBodyWriter
    var json = JSONWriter(capacity: StreamedJSON.chunkBytes + 16 * 1024)
    /// Whether any byte went to the client (then an error can no longer become a status code).
    private(set) var started = false

    init(writer: any ResponseBodyWriter) {
        self.writer = writer
    }

    mutating func flushIfLarge() throws {
        if json.bytes.count >= Self.chunkBytes { try flush() }
    }

    /// Sends what is buffered. Only the bytes are cleared: the writer's nesting state carries on.
    mutating func flush() throws {
        guard !json.bytes.isEmpty else { return }
        started = true
        try writer.write(json.bytes)
        json.bytes.removeAll(keepingCapacity: true)
    }
}

/// A failure of a streamed response before its first byte, as the error response the pipeline
/// would have given (api-v2.md §6; e.g. 503 with `Retry-After` when the pool is exhausted).
struct StreamFailure: HTTPResponseConvertible {
    let httpResponse: HTTPResponse
}

/// Maps errors of a stream producer the way `APIPipeline` maps handler errors, with the route
/// label and user the pipeline would have set (the producer runs after the pipeline returned).
struct StreamFailureMapper: Sendable {
    let pipeline: APIPipeline
    let logger: JSONLogger
    let requestID: String
    let routeLabel: String
    let user: String

    init(call: APICall) {
        pipeline = APIPipeline(services: call.services)
        logger = call.services.logger
        requestID = call.request.requestID
        routeLabel = (call.isMemberAPI ? APIPipeline.memberPrefix : APIPipeline.apiPrefix) + call.route.path
        user = call.caller.email
    }

    func failure(for error: any Error) -> StreamFailure {
        var response = pipeline.errorResponse(error, requestID: requestID)
        response.routeLabel = routeLabel
        response.user = user
        return StreamFailure(httpResponse: response)
    }

    /// After the first byte the client only sees a cut-off transfer, so a database failure is
    /// logged here (a client that went away needs no log line: the access log marks it aborted).
    func logFailureMidStream(_ error: any Error) {
        guard let error = error as? PGError else { return }
        logger.error("streamed response failed after its first byte",
                     ["request_id": .string(requestID), "route": .string(routeLabel),
                      "error": .string(String(reflecting: error))])
    }
}
