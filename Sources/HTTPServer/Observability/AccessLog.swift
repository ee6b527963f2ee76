import Locks

/// The access log line of one request (operations.md OPS-41, OPS-42).
extension ServerCore {
    func logAccess(response: HTTPResponse, head: RequestHead?, context: RequestContext, receivedAt: UInt64,
                   bytesOut: Int, fallbackPath: Substring?, fallbackMethod: HTTPMethod? = nil) {
        let level: LogLevel = configuration.quietRoutes.contains(response.routeLabel) ? .debug : .info
        guard logger.isEnabled(level) else { return }
        let path = head.map { AccessLogRedaction.redact(target: $0.target) } ?? fallbackPath.map(String.init)
        logger.log(level, "request", fields: [
            ("request_id", .string(context.requestID)),
            ("method", .string((head?.method ?? fallbackMethod)?.description)),
            ("route", .string(response.routeLabel)),
            ("path", .string(path)),
            ("status", .int(response.status)),
            ("duration_ms", .double((Double(MonotonicClock.now() - receivedAt) / 1e6 * 1000).rounded() / 1000)),
            ("bytes_out", .int(bytesOut)),
            ("user", .string(response.user)),
            ("remote_addr", .string(context.remoteAddress)),
            ("user_agent", .string(head?.headers["User-Agent"])),
        ])
    }
}

/// OPS-42: the values of the query parameters `token` and `confirmation_token` never reach a log;
/// nor does `next` of the HTML login form, which carries a whole request target (html.md WEB-10) —
/// for an e-mailed confirmation link, one with its token.
enum AccessLogRedaction {
    static let secretParameters: Set<Substring> = ["token", "confirmation_token", "next"]

    static func redact(target: String) -> String {
        guard let mark = target.firstIndex(of: "?") else { return target }
        let query = target[target.index(after: mark)...]
        var redacted = String(target[...mark])
        var first = true
        for piece in query.split(separator: "&", omittingEmptySubsequences: false) {
            if !first { redacted += "&" }
            first = false
            let name = piece.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            if secretParameters.contains(name) || secretParameters.contains(Substring(name.removingFormEncoding())) {
                redacted += name + "=[redacted]"
            } else {
                redacted += piece
            }
        }
        return redacted
    }
}

private extension Substring {
    /// Enough decoding to recognise an encoded parameter name such as `confirmation%5Ftoken`.
    func removingFormEncoding() -> String {
        var bytes: [UInt8] = []
        var iterator = utf8.makeIterator()
        while let byte = iterator.next() {
            if byte == UInt8(ascii: "%"), let high = iterator.next(), let low = iterator.next(),
               let value = UInt8(String(decoding: [high, low], as: UTF8.self), radix: 16) {
                bytes.append(value)
            } else if byte == UInt8(ascii: "+") {
                bytes.append(0x20)
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
