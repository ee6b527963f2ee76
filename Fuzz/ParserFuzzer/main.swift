// libFuzzer target for RequestHeadParser and ChunkedBodyDecoder (built by scripts/fuzz-parser.sh,
// compiled in one module with Sources/HTTPServer/Message and Sources/HTTPServer/Parser).
// Every invariant failure is a fatalError, which libFuzzer records as a crash.

/// Limits small enough that random inputs reach the 431 paths as well.
let tightLimits = HeadLimits(maxHeadBytes: 96, maxHeaderCount: 3)

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = Array(UnsafeBufferPointer(start: data, count: size))
    checkHead(input, limits: HeadLimits())
    checkHead(input, limits: tightLimits)
    // The whole input as a chunked body too, so the decoder sees more than what follows a head.
    checkChunked(input[...])
    return 0
}

func checkHead(_ input: [UInt8], limits: HeadLimits) {
    let oneShot = parseOneShot(input, limits: limits)
    let expected = describe(oneShot.result)

    // Bytes arrive in pieces: the connection calls again with the same prefix plus more.
    var splits = [1, input.count / 3, input.count / 2, input.count - 1].filter { $0 > 0 && $0 < input.count }
    if input.count <= 300 { splits = Array(1..<max(input.count, 1)) }
    let split = parseInPieces(input, limits: limits, splits: splits)
    check(describe(split.result) == expected, "split parsing differs from one-shot:\n\(describe(split.result))\nvs\n\(expected)")
    // Linear, not quadratic: each byte is examined about once however the input is split.
    check(split.bytesScanned <= 2 * input.count + 2, "scanned \(split.bytesScanned) bytes for \(input.count)")

    switch oneShot.result {
    case .incomplete:
        check(input.count <= limits.maxHeadBytes, "incomplete beyond maxHeadBytes")
    case .failure(let error):
        check([400, 431, 501, 505].contains(error.status), "unexpected status \(error.status)")
    case .complete(let head, let consumed):
        check(consumed > 0 && consumed <= input.count, "consumed \(consumed) of \(input.count)")
        check(consumed <= limits.maxHeadBytes, "head longer than maxHeadBytes")
        check(head.headers.count <= limits.maxHeaderCount, "more fields than maxHeaderCount")
        check(head.target == "*" || head.target.hasPrefix("/"), "target not in origin-form: \(head.target)")
        checkRoundTrip(head, limits: limits)
        if case .contentLength(let length) = head.framing { check(length >= 0, "negative length") }
        if head.framing == .chunked { checkChunked(input[consumed...]) }
    }
}

/// A valid head written out again must parse to the same head.
func checkRoundTrip(_ head: RequestHead, limits: HeadLimits) {
    var text = "\(head.method) \(head.target) \(head.version)\r\n"
    for field in head.headers { text += "\(field.name): \(field.value)\r\n" }
    text += "\r\n"
    let bytes = Array(text.utf8)
    // Invalid UTF-8 in a value became U+FFFD (3 bytes), so the copy may outgrow a tight limit.
    guard bytes.count <= limits.maxHeadBytes else { return }
    let again = parseOneShot(bytes, limits: limits).result
    check(describe(again) == describe(.complete(head, consumed: bytes.count)),
          "round trip differs:\n\(describe(again))")
}

func checkChunked(_ body: ArraySlice<UInt8>) {
    let input = Array(body)
    let oneShot = decodeInPieces(input, splits: [])
    var splits = [1, input.count / 2, input.count - 1].filter { $0 > 0 && $0 < input.count }
    if input.count <= 200 { splits = Array(1..<max(input.count, 1)) }
    let split = decodeInPieces(input, splits: splits)
    check(oneShot == split, "chunked split differs: \(split) vs \(oneShot)")
}

// MARK: - Drivers

func parseOneShot(_ input: [UInt8], limits: HeadLimits) -> (result: HeadParseResult, bytesScanned: Int) {
    parseInPieces(input, limits: limits, splits: [])
}

func parseInPieces(_ input: [UInt8], limits: HeadLimits, splits: [Int]) -> (result: HeadParseResult, bytesScanned: Int) {
    var parser = RequestHeadParser(limits: limits)
    for end in splits + [input.count] {
        let result = input.withUnsafeBytes { parser.parse(UnsafeRawBufferPointer(rebasing: $0[0..<end])) }
        if case .incomplete = result { continue }
        // Final results stay final.
        let again = input.withUnsafeBytes { parser.parse($0) }
        check(describe(again) == describe(result), "result changed after it was final")
        return (result, parser.bytesScanned)
    }
    return (.incomplete, parser.bytesScanned)
}

struct DecodeOutcome: Equatable, CustomStringConvertible {
    var body: [UInt8] = []
    var consumed = 0
    var finished = false
    var error: HTTPParseError?
    var description: String { "body \(body.count) B, consumed \(consumed), finished \(finished), error \(String(describing: error))" }
}

func decodeInPieces(_ input: [UInt8], splits: [Int]) -> DecodeOutcome {
    var decoder = ChunkedBodyDecoder(maxChunkExtensionBytes: 16, maxTrailerBytes: 64)
    var outcome = DecodeOutcome()
    var start = 0
    for end in splits + [input.count] {
        // withUnsafeBytes only rethrows `any Error`, so the typed error travels in a Result.
        let step = input.withUnsafeBytes { bytes in
            Result { () throws(HTTPParseError) in
                try decoder.decode(UnsafeRawBufferPointer(rebasing: bytes[start..<end]), into: &outcome.body)
            }
        }
        switch step {
        case .success(let (consumed, finished)):
            check(consumed <= end - start, "decoder consumed more than it was given")
            check(finished || consumed == end - start, "decoder left bytes unconsumed before the end")
            check(finished == decoder.isFinished, "isFinished disagrees")
            outcome.consumed += consumed
            if finished {
                outcome.finished = true
                return outcome
            }
        case .failure(let error):
            check(error.status == 400 || error.status == 431, "unexpected chunked status \(error.status)")
            outcome.error = error
            // How far an invalid body got depends on the split; the connection closes anyway.
            outcome.consumed = 0
            return outcome
        }
        start = end
    }
    return outcome
}

// MARK: - Helpers

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

func check(_ condition: Bool, _ message: @autoclosure () -> String) {
    if !condition { fatalError("invariant violated: \(message())") }
}
