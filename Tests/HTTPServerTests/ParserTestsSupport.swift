import HTTPServer

// Helpers shared by the ParserTests* files.

/// Parses `raw` in one call, as when the whole head arrived in one read.
func parseOneShot(_ raw: [UInt8], limits: HeadLimits = HeadLimits()) -> HeadParseResult {
    var parser = RequestHeadParser(limits: limits)
    return raw.withUnsafeBytes { parser.parse($0) }
}

/// Feeds `raw` one byte more per call, each time in a freshly allocated buffer so the parser
/// cannot depend on the bytes staying at one address. Stops at the first final result.
func parseByteAtATime(_ raw: [UInt8], limits: HeadLimits = HeadLimits()) -> (result: HeadParseResult, bytesScanned: Int) {
    var parser = RequestHeadParser(limits: limits)
    for end in 0...raw.count {
        let prefix = Array(raw[0..<end])
        let result = prefix.withUnsafeBytes { parser.parse($0) }
        if case .incomplete = result { continue }
        return (result, parser.bytesScanned)
    }
    return (.incomplete, parser.bytesScanned)
}

/// A comparable rendering of a result: RequestHead is not Equatable, and a one-line text also
/// makes a failed `#expect` readable.
func describe(_ result: HeadParseResult) -> String {
    switch result {
    case .incomplete:
        return "incomplete"
    case .failure(let error):
        return "failure \(error.status) \(error.message) path=\(error.requestPath ?? "nil")"
    case .complete(let head, let consumed):
        let fields = head.headers.map { "\($0.name)=\($0.value)" }.joined(separator: "|")
        return "complete \(consumed) \(head.method) \(head.target) \(head.version) \(head.framing) [\(fields)]"
    }
}

extension HeadParseResult {
    var head: RequestHead? {
        if case .complete(let head, _) = self { return head }
        return nil
    }

    var consumed: Int? {
        if case .complete(_, let consumed) = self { return consumed }
        return nil
    }

    var error: HTTPParseError? {
        if case .failure(let error) = self { return error }
        return nil
    }

    var isIncomplete: Bool {
        if case .incomplete = self { return true }
        return false
    }
}

/// The bytes of a string written with `\r\n` escapes.
func bytes(_ text: String) -> [UInt8] {
    Array(text.utf8)
}

/// A header field, shorter to write in tables.
func field(_ name: String, _ value: String) -> HTTPHeaders.Field {
    HTTPHeaders.Field(name: name, value: value)
}
