import Foundation
import HTTPServer
import TestSupport

/// An `HTTPServer` in the test process with a small responder whose routes exercise the HTTP layer:
/// echo, slow, large and streamed bodies, a preflight refusal, a small body limit.
final class InProcessServer: @unchecked Sendable {
    let server: HTTPServer
    let logPath: String
    var port: Int { server.port }

    init(configure: (inout ServerConfiguration) -> Void = { _ in }) throws {
        var configuration = ServerConfiguration()
        configuration.port = 0
        configuration.workerThreads = 8
        configure(&configuration)
        logPath = TestLogDirectory.path + "http-test-\(UUID().uuidString).log"
        let descriptor = open(logPath, O_WRONLY | O_CREAT | O_APPEND, 0o600)
        server = try HTTPServer(configuration: configuration, responder: TestResponder(),
                                logger: JSONLogger(level: .info, fileDescriptor: descriptor))
    }

    deinit {
        server.shutdown(graceSeconds: 1)
        server.stopWorkers()
    }

    func client(timeout: TimeInterval = 10) throws -> RawHTTPClient {
        try RawHTTPClient(port: port, receiveTimeout: timeout)
    }

    func log() -> String {
        (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
    }

    /// Whether the access log comes to contain `text` within `seconds`. A request's line is written
    /// by its worker after the response was handed to the loop, so a client can have the response
    /// before the line exists (seen under a loaded CI machine).
    func logEventuallyContains(_ text: String, seconds: Double = 5) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if log().contains(text) { return true }
            usleep(10_000)
        }
        return log().contains(text)
    }
}

/// Routes by path; every answer is small JSON or text so tests can assert exact bytes.
struct TestResponder: HTTPResponder {
    static let smallBodyLimit = 1024

    func plan(_ head: RequestHead) -> RequestPlan {
        switch head.path {
        case "/small": .accept(bodyLimit: Self.smallBodyLimit)
        case "/missing": .reject(.text(404, "no such route\n"))
        default: .accept(bodyLimit: 1 << 20)
        }
    }

    func preflight(_ head: RequestHead, context: RequestContext) -> HTTPResponse? {
        head.path == "/guarded" ? .text(401, "who are you?\n") : nil
    }

    func respond(to request: HTTPRequest) -> HTTPResponse {
        let query = request.head.query.map(String.init) ?? ""
        var response: HTTPResponse
        switch request.head.path {
        case "/echo", "/small", "/guarded":
            response = .bytes(200, contentType: "application/octet-stream", request.body)
        case "/slow":
            let milliseconds = Int(query.split(separator: "=").last ?? "") ?? 100
            usleep(useconds_t(milliseconds * 1000))
            response = .text(200, "slept \(milliseconds)\n")
        case "/big":
            let element = #"{"identifier":"test.edu/bag","size":12345},"#
            response = .bytes(200, contentType: "application/json", Array(("[" + String(repeating: element, count: 200) + "0]").utf8))
        case "/stream":
            let chunks = Int(query.split(separator: "=").last ?? "") ?? 3
            response = HTTPResponse(status: 200, headers: HTTPHeaders(["Content-Type": "application/x-ndjson"]),
                                    body: .stream({ writer in
                                        for index in 0..<chunks {
                                            try writer.write(Array("{\"line\":\(index)}\n".utf8))
                                        }
                                    }))
        case "/endless":
            // Writes until the server ends the stream (a client gone or too slow a reader).
            response = HTTPResponse(status: 200, headers: HTTPHeaders(["Content-Type": "application/octet-stream"]),
                                    body: .stream({ writer in
                                        let block = [UInt8](repeating: 0x61, count: 4096)
                                        while true { try writer.write(block) }
                                    }))
        case "/request-id":
            response = .text(200, request.requestID)
        default:
            response = .text(200, "ok\n")
        }
        response.routeLabel = String(request.head.path)
        return response
    }

    func errorResponse(status: Int, message: String, requestPath: Substring?) -> HTTPResponse {
        .text(status, message + "\n")
    }
}
