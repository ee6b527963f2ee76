import Foundation
import Postgres
import Synchronization

/// Remembers every cluster the test process started and, at process exit, stops it with
/// `pg_ctl stop -m immediate` and deletes its directory, so a failing test cannot leak servers.
final class TestClusterReaper: Sendable {
    static let shared = TestClusterReaper()

    private let live = Mutex<[EmbeddedCluster]>([])
    private let exitHookInstalled = Atomic<Bool>(false)

    func track(_ cluster: EmbeddedCluster) {
        if exitHookInstalled.compareExchange(expected: false, desired: true, ordering: .acquiringAndReleasing).exchanged {
            atexit { TestClusterReaper.shared.reapAll() }
        }
        live.withLock { $0.append(cluster) }
    }

    /// Stops `cluster` if it runs and deletes its data directory (and a /tmp socket directory).
    func reap(_ cluster: EmbeddedCluster, mode: EmbeddedCluster.ShutdownMode = .immediate) {
        let wasTracked = live.withLock { clusters in
            let before = clusters.count
            clusters.removeAll { $0 === cluster }
            return clusters.count != before
        }
        guard wasTracked else { return }
        let socketDirectory = cluster.socketDirectory
        if cluster.startedByThisProcess {
            do {
                try cluster.stop(mode: mode)
            } catch {
                FileHandle.standardError.write(Data("[test-postgres] stopping \(cluster.dataDirectory) failed: \(error)\n".utf8))
            }
        }
        try? FileManager.default.removeItem(atPath: cluster.dataDirectory)
        if let socketDirectory, !socketDirectory.hasPrefix(cluster.dataDirectory + "/") {
            try? FileManager.default.removeItem(atPath: socketDirectory)
        }
    }

    /// Immediate mode: the data is thrown away anyway, and exit should not wait for checkpoints.
    func reapAll() {
        for cluster in live.withLock({ $0 }) {
            reap(cluster, mode: .immediate)
        }
    }
}
