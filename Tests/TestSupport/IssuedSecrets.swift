import Foundation
import Synchronization

/// Every API key, password and token the tests issue or read, written to a file per test process so
/// that `scripts/scan-test-logs.py` (run by `make test` after the suite) can check that none of them
/// ever reached a server log (operations.md OPS-42; issue: "a scan of the captured logs finds no issued
/// key, password or token").
public enum IssuedSecrets {
    private static let lock = Mutex(())
    public static let file = TestLogDirectory.path + "registry-test-secrets-\(getpid()).txt"

    public static func record(_ secret: String) {
        guard secret.count >= 12 else { return }
        lock.withLock { _ in
            if let handle = FileHandle(forWritingAtPath: file) ?? create() {
                handle.seekToEndOfFile()
                handle.write(Data((secret + "\n").utf8))
                try? handle.close()
            }
        }
    }

    /// Records every 64- or 24-hex-character word of `text` (keys, tokens and demo passwords as the CLI
    /// and pages print them).
    public static func recordHexTokens(in text: String) {
        for word in text.split(whereSeparator: { !$0.isHexDigit }) where word.count == 64 || word.count == 24 {
            record(String(word))
        }
    }

    private static func create() -> FileHandle? {
        _ = FileManager.default.createFile(atPath: file, contents: nil)
        return FileHandle(forWritingAtPath: file)
    }
}
