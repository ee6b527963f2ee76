/// What a loop-bound responder (`RequestPlan.accept(…, onLoop:)`) may use of the event loop that
/// owns the request's connection: its index (to keep one resource per loop, such as a database
/// connection), readiness callbacks for a descriptor of its own, and running work on the loop.
///
/// Everything except `execute` must be called on the loop's own thread, which is where the
/// responder's `start` and every watcher callback run.
public struct LoopServices: Sendable {
    let loop: EventLoop

    /// 0 ..< `ServerConfiguration.eventLoops`: stable for the server's lifetime.
    public var index: Int { loop.index }

    /// Watches `fd` (which the caller owns and closes after `unwatch`) for the given readiness.
    public func watch(_ fd: Int32, read: Bool, write: Bool, _ watcher: any LoopWatcher) -> LoopWatch {
        LoopWatch(fd: fd, token: loop.watch(fd, watcher: watcher, read: read, write: write))
    }

    /// Changes which readiness `watch` waits for.
    public func update(_ watch: LoopWatch, read: Bool, write: Bool) {
        loop.updateWatch(fd: watch.fd, token: watch.token, read: read, write: write)
    }

    /// Stops watching; call before closing the descriptor.
    public func unwatch(_ watch: LoopWatch) {
        loop.unwatch(fd: watch.fd, token: watch.token)
    }

    /// Runs `task` on the loop (from any thread).
    public func execute(_ task: @escaping @Sendable () -> Void) {
        loop.execute(task)
    }
}

/// A descriptor registered with `LoopServices.watch`.
public struct LoopWatch: Sendable {
    public let fd: Int32
    let token: UInt64
}

/// Receives the readiness of a watched descriptor, on the loop's thread. Level-triggered: it keeps
/// firing while the condition holds, so the watcher must consume what it is told about.
public protocol LoopWatcher: AnyObject, Sendable {
    func loopEvents(readable: Bool, writable: Bool)
}

/// A request answered on its connection's event loop without blocking (see `RequestPlan`): `start`
/// begins non-blocking work and arranges for `complete` to be called later on the same loop, with
/// the response, or with nil to have the request answered by a worker after all (the ordinary
/// path), e.g. for anything but the common case it was written for.
public struct LoopHandler: Sendable {
    public typealias Start = @Sendable (HTTPRequest, LoopServices, @escaping @Sendable (HTTPResponse?) -> Void) -> Void
    public let start: Start

    public init(_ start: @escaping Start) {
        self.start = start
    }
}
