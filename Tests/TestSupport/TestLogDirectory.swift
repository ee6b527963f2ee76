import Foundation

/// Where the tests write the server logs and the lists of issued secrets that
/// `scripts/scan-test-logs.py` reads after the suite (OPS-42). `make test` gives every run a
/// directory of its own (REGISTRY_TEST_LOG_DIR), so that the scan of one run never reads or removes
/// another's files; without it, the system's temporary directory.
public enum TestLogDirectory {
    public static let path: String = {
        guard let directory = ProcessInfo.processInfo.environment["REGISTRY_TEST_LOG_DIR"], !directory.isEmpty else {
            return NSTemporaryDirectory()
        }
        return directory.hasSuffix("/") ? directory : directory + "/"
    }()
}
