#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import Locks

/// One client connection. Every stored property is confined to its event loop's thread: the loop
/// calls `handleReadable`/`handleWritable` there, and worker threads reach the connection only
/// through `loop.execute`. (The compiler cannot check this confinement, see server-lessons §3.1,
/// hence @unchecked.)
final class HTTPConnection: @unchecked Sendable {
    let fd: Int32
    let peerAddress: String
    let loop: EventLoop
    let core: ServerCore

    var state: ConnectionState
    var parser: RequestHeadParser
    /// Received bytes not yet consumed by the parser or a body.
    var input: [UInt8] = []
    /// Bytes queued for the socket, from `outputOffset` on.
    var output: [UInt8] = []
    var outputOffset = 0
    var lastWriteProgress: UInt64 = 0
    /// Set when the final response of the connection is queued.
    var closeWhenFlushed = false
    /// The peer sent EOF: answer what is buffered, then close.
    var peerClosedInput = false
    var closed = false
    var shutdownRequested = false
    /// Requests whose head was complete on this connection (an idle connection that has served none
    /// gets the header timeout, not the longer keep-alive idle timeout).
    var requestsStarted = 0
    /// After the final response: input is read and discarded until EOF or this deadline, so that
    /// closing with unread request bytes does not send a RST that destroys the response in flight.
    var lingerUntil: UInt64?
    /// `processInput` is running (it must not be re-entered, see there).
    var isProcessingInput = false
    /// A response was queued above the high-water mark; reading resumes once it has drained.
    var waitingForDrain = false
    /// The streamed response in progress, told when its bytes reach the socket or the connection dies.
    var activeStream: StreamChannel?
    /// Bytes of `output` that belong to `activeStream` and are not yet written.
    var streamBytesInOutput = 0

    /// The loop's handle for this connection's registration.
    var token: UInt64 = 0
    /// Readiness the loop watches for: input unless reading is paused, output while some is pending.
    var readSuspended = false
    var wantsWrite = false

    init(fd: Int32, peerAddress: String, loop: EventLoop, core: ServerCore) {
        self.fd = fd
        self.peerAddress = peerAddress
        self.loop = loop
        self.core = core
        self.parser = RequestHeadParser(limits: HeadLimits(maxHeadBytes: core.configuration.maxHeaderBytes,
                                                           maxHeaderCount: core.configuration.maxHeaderCount))
        self.state = .idle(since: MonotonicClock.now())
    }

    /// On the loop: registers and starts reading.
    func start() {
        token = loop.register(self)
    }

    // MARK: Reading

    /// While a request is being answered, at most this much further input (pipelined requests) is
    /// buffered before reading pauses.
    var inputBufferLimit: Int { core.configuration.maxHeaderBytes + 64 * 1024 }

    func handleReadable() {
        guard !closed else { return }
        if readSuspended && lingerUntil == nil {
            // Read interest is off (after EOF, or while the input buffer is full behind a response),
            // so this is a hang-up or an error: EPOLLHUP/EPOLLERR cannot be masked and would fire
            // forever without a read that notices it. The client is gone.
            abortConnection()
            return
        }
        if lingerUntil != nil {
            discardInputUntilEOF()
            return
        }
        var gotBytes = false
        // Read into a stack buffer and append: an idle connection then holds no read buffer at all,
        // which keeps 1,000 idle keep-alive connections small.
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 16 * 1024) { scratch in
            while input.count < inputBufferLimit {
                let count = recv(fd, scratch.baseAddress, scratch.count, 0)
                if count > 0 {
                    input.append(contentsOf: UnsafeBufferPointer(rebasing: scratch[0..<count]))
                    gotBytes = true
                    if count < scratch.count { break }
                } else if count == 0 {
                    peerClosedInput = true
                    break
                } else {
                    if errno == EINTR { continue }
                    if errno != EAGAIN && errno != EWOULDBLOCK { peerClosedInput = true; abortConnection() }
                    break
                }
            }
        }
        guard !closed else { return }
        if peerClosedInput, let stream = activeStream {
            // The client closed its side while a response was streaming: it is gone (a client that
            // half-closes and still reads a streamed export is not supported). The producer learns it
            // at once through `isClientGone` and its next write fails.
            stream.fail()
            abortConnection()
            return
        }
        if gotBytes { noteInputArrived() }
        processInput()
        // Decided after processInput, not before: a body being read is moved out of `input` there,
        // and only input still left over (pipelined requests behind a response in progress) means
        // "full". Suspending before it stalled every body larger than `inputBufferLimit`: nothing
        // resumes reading until a response, and the response needs the rest of the body.
        guard !closed else { return }
        if peerClosedInput || input.count >= inputBufferLimit {
            // At EOF the source would fire forever (the socket stays readable); when the buffer is
            // full we wait for the current response before reading more.
            suspendReading()
        }
    }

    private func noteInputArrived() {
        let now = MonotonicClock.now()
        switch state {
        // `.idle` becomes `.readingHead` in `processInput`, once the input holds more than the empty
        // lines a request may be preceded by.
        case .readingBody(let pending, let accumulator, _):
            state = .readingBody(pending, accumulator, lastByteAt: now)
        default:
            break
        }
    }

    func suspendReading() {
        guard !readSuspended, !closed else { return }
        readSuspended = true
        updateInterest()
    }

    func resumeReading() {
        guard readSuspended, !peerClosedInput, !closed else { return }
        readSuspended = false
        updateInterest()
    }

    /// Tells the loop what to watch: input unless paused, output while some is pending.
    func updateInterest() {
        loop.setInterest(self, token: token, read: !readSuspended, write: wantsWrite)
    }

    // MARK: Closing

    /// Half-closes our side once the final response is written, then drains the peer briefly.
    func beginLingeringClose() {
        guard !closed, lingerUntil == nil else { return }
        shutdown(fd, Int32(SHUT_WR))
        if peerClosedInput {
            abortConnection()
            return
        }
        input = []
        lingerUntil = MonotonicClock.now() + 2_000_000_000
        resumeReading()
    }

    private func discardInputUntilEOF() {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 16 * 1024) { scratch in
            while true {
                let count = recv(fd, scratch.baseAddress, scratch.count, 0)
                if count > 0 { continue }
                if count < 0 && errno == EINTR { continue }
                if count < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) { return }
                abortConnection()
                return
            }
        }
    }

    /// Makes `channel` the connection's running stream. A client that already hung up (its EOF was
    /// read before the producer registered, possible when the loop runs the two in that order) or
    /// a connection already closed fails the channel at once: otherwise nobody would ever tell the
    /// producer, and a producer blocked in a slow query would wait for it forever (AUD-15).
    func attachStream(_ channel: StreamChannel) {
        guard !closed, !peerClosedInput else {
            channel.fail()
            abortConnection()
            return
        }
        activeStream = channel
    }

    /// Closes now, without writing anything more.
    func abortConnection() {
        guard !closed else { return }
        closed = true
        state = .closing
        activeStream?.fail()
        activeStream = nil
        input = []
        output = []
        // Unregister before closing, so a descriptor number reused by the next accept cannot
        // inherit this registration.
        loop.unregister(self, token: token)
        Glibc.close(fd)
        core.connectionClosed()
    }

    // MARK: Time limits

    /// Called by the loop's sweeper.
    func checkDeadlines(now: UInt64) {
        guard !closed else { return }
        if let lingerUntil {
            if now > lingerUntil { abortConnection() }
            return
        }
        let configuration = core.configuration
        if output.count > outputOffset,
           now > lastWriteProgress + UInt64(configuration.writeStallTimeoutSeconds) * 1_000_000_000 {
            abortConnection()
            return
        }
        switch state {
        case .idle(let since):
            if requestsStarted == 0 {
                // OPS-52: a new connection's first request head is due within the header timeout of
                // the connection's opening, bytes or not: 408, then close.
                if now > since + UInt64(configuration.headerReadTimeoutSeconds) * 1_000_000_000 {
                    failRequest(status: 408, message: "request head not received within \(configuration.headerReadTimeoutSeconds) s",
                                requestPath: nil)
                }
            } else if output.count == outputOffset, now > since + UInt64(configuration.idleTimeoutSeconds) * 1_000_000_000 {
                // OPS-54: a kept-alive connection that sends no next request is closed silently.
                abortConnection()
            }
        case .readingHead(let since):
            if now > since + UInt64(configuration.headerReadTimeoutSeconds) * 1_000_000_000 {
                // JSON under /api/ when the request line arrived (OPS-58), plain text otherwise.
                failRequest(status: 408, message: "request head not received within \(configuration.headerReadTimeoutSeconds) s",
                            requestPath: parser.requestPath.map { $0[...] }, offeredRequestID: parser.offeredRequestID,
                            requestMethod: parser.requestMethod)
            }
        case .readingBody(let pending, _, let lastByteAt):
            if now > lastByteAt + UInt64(configuration.bodyReadTimeoutSeconds) * 1_000_000_000 {
                failRequest(status: 408, message: "request body stalled for \(configuration.bodyReadTimeoutSeconds) s",
                            pending: pending)
            }
        case .awaitingPreflight, .responding, .closing:
            break
        }
    }
}
