import Dispatch
import Locks

/// The request side of a connection: parse heads, apply the responder's plan and limits, collect
/// bodies, hand complete requests to a worker. All on the loop thread.
extension HTTPConnection {
    /// Consumes buffered input as far as the state allows. Re-entered after each response, which
    /// is what answers pipelined requests in order (OPS-59f).
    func processInput() {
        // Responses produced on the loop (errors, rejections) complete synchronously and would call
        // back in here; the loop below continues instead, so a long pipeline cannot recurse deeply.
        guard !isProcessingInput else { return }
        isProcessingInput = true
        defer { isProcessingInput = false }
        while !closed {
            switch state {
            case .idle, .readingHead:
                if input.isEmpty {
                    if peerClosedInput { closeAfterPendingOutput() }
                    return
                }
                if case .idle(let since) = state {
                    // RFC 9112 §2.2: empty lines before a request line are ignored (some clients send
                    // a CRLF after a body). They do not start a request, so the connection stays idle
                    // under OPS-54's idle limit rather than getting OPS-52's 408 ten seconds later.
                    var blank = 0
                    while blank + 1 < input.count, input[blank] == HTTPByte.cr, input[blank + 1] == HTTPByte.lf { blank += 2 }
                    if blank > 0 { input.removeFirst(blank) }
                    if input.isEmpty {
                        if peerClosedInput { closeAfterPendingOutput() }
                        return
                    }
                    state = .readingHead(since: headClockStart(idleSince: since, now: MonotonicClock.now()))
                }
                let result = input.withUnsafeBytes { parser.parse($0) }
                switch result {
                case .incomplete:
                    if peerClosedInput { abortConnection() }
                    return
                case .failure(let error):
                    failRequest(status: error.status, message: error.message, requestPath: error.requestPath.map { Substring($0) },
                                offeredRequestID: error.offeredRequestID, requestMethod: error.requestMethod)
                    return
                case .complete(let head, let consumed):
                    input.removeFirst(consumed)
                    parser.reset()
                    beginRequest(head)
                }
            case .readingBody(let pending, var accumulator, let lastByteAt):
                // Performance: take the accumulator out of `state` before appending to it. While
                // `state` still shares its body buffer, every append copies the whole body so far
                // (copy-on-write): quadratic, 18 s for a 25 MiB item_state body. Every branch below
                // sets `state` again.
                state = .responding(since: lastByteAt)
                let (consumed, progress) = accumulator.consume(input, from: 0)
                input.removeFirst(consumed)
                switch progress {
                case .needMore:
                    state = .readingBody(pending, accumulator, lastByteAt: lastByteAt)
                    if peerClosedInput { abortConnection() }
                    return
                case .complete:
                    dispatch(pending, body: accumulator.body)
                case .tooLarge:
                    failRequest(status: 413, message: "request body exceeds \(pending.bodyLimit) bytes", pending: pending)
                    return
                case .malformed(let error):
                    failRequest(status: error.status, message: error.message, pending: pending)
                    return
                }
            case .awaitingPreflight, .responding, .closing:
                return
            }
        }
    }

    private func beginRequest(_ head: RequestHead) {
        requestsStarted += 1
        let receivedAt = MonotonicClock.now()
        let context = core.makeContext(head: head, peerAddress: peerAddress)
        guard head.method.isImplemented else {
            // API-7: a method implemented nowhere is refused before routing and authentication.
            reject(core.responder.errorResponse(status: 501, message: "method \(head.method) is not implemented",
                                                requestPath: head.path),
                   head: head, context: context, receivedAt: receivedAt)
            return
        }
        // RFC 9110 §10.1.1: any expectation but 100-continue is a 417; an empty Expect lists none.
        if head.headers.tokens("Expect").contains(where: { $0 != "100-continue" }) {
            respondOnLoop(core.responder.errorResponse(status: 417, message: "unsupported expectation", requestPath: head.path),
                          head: head, context: context, receivedAt: receivedAt, forceClose: true)
            return
        }
        switch core.responder.plan(head) {
        case .reject(let response):
            if case .contentLength(let length) = head.framing, length > core.configuration.maxBodyBytes {
                // OPS-51 before routing (DOM-96b): a body announced over the limit is a 413 on a path
                // or method no route serves too (after API-7's 501 above, which precedes routing).
                respondOnLoop(core.responder.errorResponse(status: 413, message: "request body exceeds \(core.configuration.maxBodyBytes) bytes",
                                                           requestPath: head.path),
                              head: head, context: context, receivedAt: receivedAt, forceClose: true)
                return
            }
            reject(response, head: head, context: context, receivedAt: receivedAt)
        case .accept(let bodyLimit, let inline, let onLoop):
            let pending = PendingRequest(head: head, context: context, receivedAt: receivedAt, bodyLimit: bodyLimit,
                                         inline: inline, onLoop: onLoop)
            if case .contentLength(let length) = head.framing, length > bodyLimit {
                // OPS-51: checked against Content-Length before reading (and before any 100 Continue).
                failRequest(status: 413, message: "request body exceeds \(bodyLimit) bytes", pending: pending)
                return
            }
            if !head.hasBody {
                dispatch(pending, body: [])
            } else if head.expectsContinue {
                state = .awaitingPreflight(pending)
                runPreflight(pending)
            } else {
                state = .readingBody(pending, BodyAccumulator(framing: head.framing, limit: bodyLimit), lastByteAt: receivedAt)
            }
        }
    }

    /// Answers a request refused before its body was read. A small body that is on its way is read
    /// and dropped first, so the connection stays usable; a large one, or one the client holds back
    /// for a 100 Continue, is not waited for: the answer closes the connection.
    private func reject(_ response: HTTPResponse, head: RequestHead, context: RequestContext, receivedAt: UInt64) {
        let drainable: Bool = switch head.framing {
        case .contentLength(let length): length <= Self.rejectedBodyDrainLimit
        case .chunked: true  // the accumulator's limit below still applies
        default: false
        }
        guard head.hasBody, drainable, !head.expectsContinue else {
            respondOnLoop(response, head: head, context: context, receivedAt: receivedAt, forceClose: head.hasBody)
            return
        }
        let pending = PendingRequest(head: head, context: context, receivedAt: receivedAt,
                                     bodyLimit: Self.rejectedBodyDrainLimit, inline: false, onLoop: nil, rejection: response)
        state = .readingBody(pending, BodyAccumulator(framing: head.framing, limit: Self.rejectedBodyDrainLimit),
                             lastByteAt: receivedAt)
    }

    /// The most a refused request's body is read to keep its connection open.
    static let rejectedBodyDrainLimit = 64 * 1024

    /// `Expect: 100-continue` is answered only after the responder's checks pass (server-lessons
    /// §1.5: Perfect answered it before any check, so a client sent a huge body only to be refused).
    private func runPreflight(_ pending: PendingRequest) {
        core.workers.submit { [self] in
            let refusal = core.responder.preflight(pending.head, context: pending.context)
            loop.execute { [self] in
                guard !closed, case .awaitingPreflight = state else { return }
                if let refusal {
                    respondOnLoop(refusal, head: pending.head, context: pending.context, receivedAt: pending.receivedAt, forceClose: true)
                } else {
                    enqueueOutput(Array("HTTP/1.1 100 Continue\r\n\r\n".utf8))
                    state = .readingBody(pending, BodyAccumulator(framing: pending.head.framing, limit: pending.bodyLimit),
                                         lastByteAt: MonotonicClock.now())
                    // A client that did not wait for 100 Continue may have filled the input buffer,
                    // which paused reading while the preflight ran.
                    resumeReading()
                    processInput()
                }
            }
        }
    }

    /// Hands a complete request to a worker; the response comes back through `completeResponse`.
    private func dispatch(_ pending: PendingRequest, body: [UInt8]) {
        if let rejection = pending.rejection {
            state = .responding(since: MonotonicClock.now())
            respondOnLoop(rejection, head: pending.head, context: pending.context, receivedAt: pending.receivedAt,
                          forceClose: false)
            return
        }
        state = .responding(since: MonotonicClock.now())
        let request = HTTPRequest(head: pending.head, body: body, context: pending.context, receivedAt: pending.receivedAt)
        core.metrics.requestStarted()
        if pending.inline {
            core.respondInline(to: request, on: self)
        } else if let onLoop = pending.onLoop {
            // Performance: answered on this loop with non-blocking I/O (the hot GETs' database
            // reads), which saves the hand-offs to and from a worker and the worker's blocking
            // waits; nil means "not the common case": a worker answers it the ordinary way.
            onLoop.start(request, LoopServices(loop: loop)) { [self] response in
                guard let response else {
                    submitToWorker(request)
                    return
                }
                core.completeOnLoop(response, for: request, on: self)
            }
        } else {
            submitToWorker(request)
        }
    }

    /// The ordinary path: a worker runs the responder, unless too many requests already wait.
    private func submitToWorker(_ request: HTTPRequest) {
        let queued = core.workers.submit(ifQueuedBelow: core.configuration.maxQueuedRequests) { [self] in
            core.respond(to: request, on: self)
        }
        if !queued {
            core.metrics.requestNotStarted()
            var busy = core.responder.errorResponse(status: 503, message: "server busy; try again", requestPath: request.head.path)
            busy.headers.set("Retry-After", "1")
            respondOnLoop(busy, head: request.head, context: request.context, receivedAt: request.receivedAt, forceClose: false)
        }
    }

    /// An error the HTTP layer answers itself (framing, limits, timeouts) before a head was parsed;
    /// the connection closes after it.
    /// `offeredRequestID`: an `X-Request-Id` value read before the failure, used when valid (OPS-40).
    func failRequest(status: Int, message: String, requestPath: Substring?, offeredRequestID: String? = nil,
                     requestMethod: HTTPMethod? = nil) {
        let response = core.responder.errorResponse(status: status, message: message, requestPath: requestPath)
        var context = core.makeContext(head: nil, peerAddress: peerAddress)
        if let offeredRequestID, let valid = ServerCore.validRequestID(offeredRequestID) { context.requestID = valid }
        respondOnLoop(response, head: nil, context: context,
                      receivedAt: MonotonicClock.now(), forceClose: true, requestPath: requestPath, requestMethod: requestMethod)
    }

    /// The same for a request whose head was parsed (its body is too large, malformed or stalled):
    /// the answer keeps the request's context, so its `X-Request-Id` is the client's (OPS-40) and
    /// its access-log line and metrics name the method.
    /// A request refused before its body (being drained) keeps its own answer (404, 405, 501) whatever
    /// goes wrong with that body; only the connection closes.
    func failRequest(status: Int, message: String, pending: PendingRequest) {
        let response = pending.rejection
            ?? core.responder.errorResponse(status: status, message: message, requestPath: pending.head.path)
        respondOnLoop(response, head: pending.head, context: pending.context, receivedAt: pending.receivedAt,
                      forceClose: true)
    }

    /// When a request head's timeout starts (OPS-52): at the connection's opening for its first
    /// request (a client that connects and waits gets no extra time), at the first byte after that.
    func headClockStart(idleSince: UInt64, now: UInt64) -> UInt64 {
        requestsStarted == 0 ? idleSince : now
    }

    /// Encodes and queues a small response produced on the loop itself (never a stream).
    func respondOnLoop(_ response: HTTPResponse, head: RequestHead?, context: RequestContext, receivedAt: UInt64,
                               forceClose: Bool, requestPath: Substring? = nil, requestMethod: HTTPMethod? = nil) {
        var response = response
        if response.routeLabel == HTTPResponse.unmatchedRoute, let head {
            // A refusal of the HTTP layer (413, 408, 503 busy, the 100-continue check) is counted
            // under the route the request matched, like every answer of `respond` (OPS-38).
            response.routeLabel = core.responder.routeLabel(for: head)
        }
        let prepared = core.prepareBuffered(response, head: head, requestID: context.requestID, forceClose: forceClose)
        // A method implemented nowhere (501) is labelled `other`: any token a client invents must
        // not become a new series (OPS-38, bounded cardinality).
        let method = (head?.method ?? requestMethod).map { $0.isImplemented ? $0.description : "other" } ?? "unknown"
        core.metrics.record(method: method, route: response.routeLabel,
                            status: response.status, seconds: Double(MonotonicClock.now() - receivedAt) / 1e9)
        core.logAccess(response: response, head: head, context: context, receivedAt: receivedAt,
                       bytesOut: prepared.bodyBytes, fallbackPath: requestPath, fallbackMethod: requestMethod)
        completeResponse(prepared.bytes, close: prepared.close)
    }

    /// On the loop: the whole response (or the last bytes of a stream) is queued.
    func completeResponse(_ bytes: [UInt8], close: Bool) {
        guard !closed else { return }
        activeStream = nil
        streamBytesInOutput = 0
        if close || shutdownRequested || peerClosedInput && input.isEmpty {
            // Decide before writing: the write may drain synchronously and finish the connection.
            state = .closing
            closeWhenFlushed = true
            enqueueOutput(bytes)
            if !closed && output.count == outputOffset { beginLingeringClose() }
            return
        }
        state = .idle(since: MonotonicClock.now())
        enqueueOutput(bytes)
        guard !closed else { return }
        if output.count - outputOffset <= core.configuration.outputHighWaterBytes {
            resumeReading()
            processInput()
        } else {
            // The next pipelined request waits until the socket has taken this backlog.
            waitingForDrain = true
        }
    }
}
