import CLibpq

/// One libpq session in non-blocking pipeline mode, driven by ONE event-loop thread: requests are
/// sent without waiting for earlier ones, and their results come back in order as the socket turns
/// readable. Not thread-safe by design — every call, after `open`, happens on the owner's thread —
/// so it needs no lock.
///
/// Why (server-lessons §3, "move to the non-blocking path only if the thread count or latency
/// says so"): a blocking read costs the request a hand-off to a worker thread, one sleep and
/// wake-up per statement and a hand-off back; on the hot GETs that was most of the server's CPU
/// (`perf`: half of it in the kernel's scheduler paths). Here the loop thread that parsed the
/// request sends its statements and goes on with other connections; one `recv` may bring the
/// results of many requests.
///
/// Each `send` is one pipeline segment ended by a sync point, so an error fails only its own
/// request: PostgreSQL skips the rest of that segment (`PGRES_PIPELINE_ABORTED`) and resumes at
/// the next. Statements are prepared on first use inside the segment that needs them.
public final class PGPipelineConnection: @unchecked Sendable {
    /// The results of a request's statements in order, or nil if any of them failed or the
    /// session broke (the caller then answers the request another way).
    public typealias Completion = ([PGResult]?) -> Void

    private enum Step {
        case prepare(PreparedStatementCache.Key)
        case deallocate
        case query(PreparedStatementCache.Key)
    }

    private struct Segment {
        var steps: [Step]
        var results: [PGResult] = []
        var failed = false
        let completion: Completion
    }

    private let session: PGConnection
    private var segments: [Segment] = []
    private var head = 0
    /// Index into `segments[head].steps` of the step whose results are being read; `steps.count`
    /// means its sync point is next.
    private var step = 0
    public private(set) var isBroken = false

    /// Opens the session (blocking: call it off the loop) and switches it to non-blocking
    /// pipeline mode.
    public static func open(_ settings: PGConnectionSettings) throws(PGError) -> PGPipelineConnection {
        let session = try PGConnection.connect(settings)
        guard PQsetnonblocking(session.handle, 1) == 0, PQenterPipelineMode(session.handle) == 1 else {
            throw PGError.fromConnection(session.handle, kind: .connectionFailure)
        }
        return PGPipelineConnection(session: session)
    }

    private init(session: PGConnection) {
        self.session = session
    }

    /// The socket to watch: readable → `handleReadable`, writable while `wantsWrite` → `handleWritable`.
    public var socket: Int32 { PQsocket(session.handle) }

    /// True while libpq holds output the socket has not taken yet.
    public private(set) var wantsWrite = false

    /// Requests waiting for their results.
    public var pendingCount: Int { segments.count - head }

    /// Sends `queries` as one segment; `completion` runs on a later `handleReadable` (or at once
    /// with nil when nothing could be sent).
    public func send(_ queries: [PGQuery], completion: @escaping Completion) {
        // libpq would truncate a text parameter at NUL (the blocking path reports 22021); checked
        // before anything is queued, since a statement sent without its sync would join the next
        // request's segment.
        guard !isBroken, queries.allSatisfy({ $0.bindings.firstParameterContainingNUL == nil }) else {
            return completion(nil)
        }
        var steps: [Step] = []
        for query in queries {
            let bindings = query.bindings
            let key = PreparedStatementCache.Key(sql: query.sql, typeOIDs: bindings.typeOIDs)
            let name: String
            if let cached = session.statements.lookup(key) {
                name = cached
            } else {
                name = session.statements.makeName()
                let sent = key.typeOIDs.withUnsafeBufferPointer { types in
                    PQsendPrepare(session.handle, name, key.sql, Int32(types.count), types.baseAddress) == 1
                }
                guard sent else { return breakSession(pending: completion) }
                steps.append(.prepare(key))
                if let evicted = session.statements.insert(key, name: name) {
                    // Freed on the server too: list filters combine into many statement texts,
                    // and a client must not be able to grow this session without bound. Earlier
                    // segments that use it run before this one (the server keeps their order).
                    guard PQsendQueryParams(session.handle, "DEALLOCATE \(evicted)", 0, nil, nil, nil, nil, 0) == 1 else {
                        return breakSession(pending: completion)
                    }
                    steps.append(.deallocate)
                }
            }
            let sent = bindings.withCParameters { values, count in
                PQsendQueryPrepared(session.handle, name, count, values, nil, nil, 0) == 1
            }
            guard sent else { return breakSession(pending: completion) }
            steps.append(.query(key))
        }
        guard PQpipelineSync(session.handle) == 1 else { return breakSession(pending: completion) }
        segments.append(Segment(steps: steps, completion: completion))
        flush()
    }

    /// The loop saw the socket readable: read what arrived and complete every finished segment.
    public func handleReadable() {
        guard !isBroken else { return }
        guard PQconsumeInput(session.handle) == 1 else { return breakSession(pending: nil) }
        while head < segments.count, PQisBusy(session.handle) == 0 {
            // A session libpq gave up on answers "not busy" and null forever: stop, do not spin.
            guard PQstatus(session.handle) == CONNECTION_OK else { return breakSession(pending: nil) }
            let raw = PQgetResult(session.handle)
            if step < segments[head].steps.count {
                guard let raw else {
                    step += 1  // that statement's results are complete
                    continue
                }
                record(raw, for: segments[head].steps[step])
            } else {
                // The sync point comes as a result of its own, never as a null.
                guard let raw else { return breakSession(pending: nil) }
                let status = PQresultStatus(raw)
                PQclear(raw)
                if status == PGRES_PIPELINE_SYNC {
                    finishHeadSegment()
                } else {
                    segments[head].failed = true
                }
            }
        }
        if PQstatus(session.handle) != CONNECTION_OK { breakSession(pending: nil) }
    }

    /// The loop saw the socket writable while output was pending.
    public func handleWritable() {
        guard !isBroken else { return }
        flush()
    }

    // MARK: Internals

    private func record(_ raw: OpaquePointer, for step: Step) {
        let status = PQresultStatus(raw)
        switch step {
        case .prepare(let key):
            PQclear(raw)
            if status != PGRES_COMMAND_OK {
                segments[head].failed = true
                _ = session.statements.remove(key)
            }
        case .deallocate:
            PQclear(raw)
            if status != PGRES_COMMAND_OK { segments[head].failed = true }
        case .query(let key):
            if status == PGRES_TUPLES_OK || status == PGRES_COMMAND_OK {
                segments[head].results.append(PGResult(handle: raw))
            } else {
                // A statement gone stale after DDL (0A000) or missing (26000) is prepared again
                // under a new name next time, as the blocking path does.
                let sqlState = PQresultErrorField(raw, Int32(UInt8(ascii: "C"))).map { String(cString: $0) }
                if sqlState == "0A000" || sqlState == "26000" { _ = session.statements.remove(key) }
                PQclear(raw)
                segments[head].failed = true
            }
        }
    }

    private func finishHeadSegment() {
        let finished = segments[head]
        segments[head] = Segment(steps: [], completion: { _ in })
        head += 1
        step = 0
        if head == segments.count {
            segments.removeAll(keepingCapacity: true)
            head = 0
        } else if head > 64, head * 2 > segments.count {
            segments.removeFirst(head)
            head = 0
        }
        finished.completion(finished.failed ? nil : finished.results)
    }

    private func flush() {
        switch PQflush(session.handle) {
        case 0: wantsWrite = false
        case 1: wantsWrite = true
        default: breakSession(pending: nil)
        }
    }

    /// The session is unusable: every waiting request (and `pending`) learns it now.
    private func breakSession(pending: Completion?) {
        isBroken = true
        wantsWrite = false
        let waiting = segments[head...].map(\.completion)
        segments.removeAll()
        head = 0
        step = 0
        for completion in waiting { completion(nil) }
        pending?(nil)
    }
}
