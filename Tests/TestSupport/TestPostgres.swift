import Foundation
import Postgres
import Synchronization

/// The PostgreSQL fixture of the test suite (OPS-16: tests run against the embedded cluster).
public enum TestPostgres {
    /// The shared cluster of this test process: started on first use with `EmbeddedCluster` in a
    /// fresh temporary directory under /tmp (thread-safe lazy start; several tests run in
    /// parallel), stopped with `pg_ctl stop -m immediate` and its directory removed at process exit.
    public static func sharedCluster() throws -> TestCluster {
        try shared.get()
    }

    /// A new empty database (unique name) on the shared cluster; returns its key=value conninfo.
    /// - Parameter prefix: start of the name: lower-case letters, digits and `_` only.
    public static func freshDatabase(prefix: String = "t") throws -> String {
        guard !prefix.isEmpty, prefix.utf8.count <= 40,
              prefix.utf8.allSatisfy({ (UInt8(ascii: "a")...UInt8(ascii: "z")).contains($0) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) || $0 == UInt8(ascii: "_") })
        else {
            throw EmbeddedClusterError("database prefix \(prefix.debugDescription) must be 1-40 of [a-z0-9_]")
        }
        let cluster = try sharedCluster()
        let number = databaseCounter.add(1, ordering: .relaxed).newValue
        let name = "\(prefix)_\(number)_\(String(UInt32.random(in: 0...UInt32.max), radix: 36))"
        return try cluster.createDatabase(named: name)
    }

    /// A global `let` is initialised once, under the runtime's own lock, so parallel tests that ask
    /// at the same moment wait for one start instead of starting several clusters. A failed start
    /// is remembered and reported to every test, rather than retried by each.
    private static let shared: Result<TestCluster, any Error> = Result {
        try TestCluster(directoryPrefix: "registry-test-shared")
    }

    private static let databaseCounter = Atomic<Int>(0)
}
