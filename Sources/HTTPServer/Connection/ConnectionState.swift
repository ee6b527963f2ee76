/// Where a connection is in its request/response cycle. Every case carries what its time limit is
/// measured from, so the sweeper needs nothing else.
enum ConnectionState {
    /// Between requests (or before the first one). Closed silently after the idle timeout.
    case idle(since: UInt64)
    /// Part of a head has arrived; the whole head must be complete by `since` + HEADER_READ_TIMEOUT_S.
    case readingHead(since: UInt64)
    /// `Expect: 100-continue`: a worker runs the preflight checks before the body is invited.
    case awaitingPreflight(PendingRequest)
    /// Receiving the body; cut when no byte arrives for BODY_READ_TIMEOUT_S.
    case readingBody(PendingRequest, BodyAccumulator, lastByteAt: UInt64)
    /// A worker is producing the response (buffered or streamed).
    case responding(since: UInt64)
    /// The final response is queued; the connection closes once it is written.
    case closing
}

/// A request whose head is complete and accepted by the responder's plan.
struct PendingRequest {
    var head: RequestHead
    var context: RequestContext
    var receivedAt: UInt64
    var bodyLimit: Int
    var inline: Bool
    var onLoop: LoopHandler?
    /// Set when the request is refused before its body is read (404, 405, 501): the body is read
    /// and dropped, then this answer goes out on a connection that stays open, so requests
    /// pipelined behind it are still answered (OPS-59f).
    var rejection: HTTPResponse? = nil
}

/// Collects a request body from the connection's input.
struct BodyAccumulator {
    enum Coding {
        case fixed(remaining: Int)
        case chunked(ChunkedBodyDecoder)
    }

    var coding: Coding
    var body: [UInt8] = []
    let limit: Int

    enum Progress {
        case needMore
        case complete
        case tooLarge
        case malformed(HTTPParseError)
    }

    init(framing: BodyFraming, limit: Int) {
        self.limit = limit
        switch framing {
        case .contentLength(let length):
            coding = .fixed(remaining: length)
            // Never trust a declared length for an allocation (swifter pre-allocated it); grow instead.
            body.reserveCapacity(min(length, 1 << 20))
        case .chunked, .none:
            coding = .chunked(ChunkedBodyDecoder())
        }
    }

    /// Takes what it can from `input` starting at `offset`; returns the bytes consumed.
    mutating func consume(_ input: [UInt8], from offset: Int) -> (consumed: Int, progress: Progress) {
        switch coding {
        case .fixed(let remaining):
            let take = min(remaining, input.count - offset)
            body.append(contentsOf: input[offset..<(offset + take)])
            coding = .fixed(remaining: remaining - take)
            return (take, remaining - take == 0 ? .complete : .needMore)
        case .chunked(var decoder):
            let outcome: Result<(consumed: Int, finished: Bool), HTTPParseError> = input.withUnsafeBytes { raw in
                do throws(HTTPParseError) {
                    return .success(try decoder.decode(UnsafeRawBufferPointer(rebasing: raw[offset...]), into: &body))
                } catch {
                    return .failure(error)
                }
            }
            switch outcome {
            case .success(let result):
                coding = .chunked(decoder)
                if body.count > limit { return (result.consumed, .tooLarge) }
                return (result.consumed, result.finished ? .complete : .needMore)
            case .failure(let error):
                return (0, .malformed(error))
            }
        }
    }
}
