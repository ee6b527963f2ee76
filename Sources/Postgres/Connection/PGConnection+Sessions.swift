import CLibpq
import Locks

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Every open session of this process, so that a shutdown can end the ones still in use (OPS-45:
/// after the grace period "closes whatever remains; open transactions roll back").
extension PGConnection {
    /// A weak entry: the registry never keeps a session alive.
    final class WeakSession: @unchecked Sendable {
        weak var connection: PGConnection?
        init(_ connection: PGConnection) { self.connection = connection }
    }

    static let openSessions = PlainLock<[ObjectIdentifier: WeakSession]>([:])

    func registerSession() {
        let entry = WeakSession(self)
        Self.openSessions.withLock { $0[ObjectIdentifier(self)] = entry }
    }

    func unregisterSession() {
        _ = Self.openSessions.withLock { $0.removeValue(forKey: ObjectIdentifier(self)) }
    }

    /// Shuts down the socket of every open session, from any thread (for a process that is about
    /// to exit: call it after the pools have closed their idle sessions, so that only sessions a
    /// worker still holds are left). A thread blocked in a statement on one of them gets a
    /// connection failure at once, and the server rolls back what that session had open; the
    /// session is unusable from then on. libpq closes a session's descriptor when its owner lets go
    /// or when it notices a broken connection itself; a session it has already dropped reports no
    /// socket (-1) and is skipped. Returns how many sessions were cut.
    @discardableResult
    public static func shutDownAllSessions() -> Int {
        let sessions = openSessions.withLock { $0.values.compactMap(\.connection) }
        for session in sessions {
            let socket = PQsocket(session.handle)
            if socket >= 0 { _ = shutdown(socket, Int32(SHUT_RDWR)) }
        }
        return sessions.count
    }
}
