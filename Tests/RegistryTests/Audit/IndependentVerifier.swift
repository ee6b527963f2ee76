import Foundation
import Formats
import Postgres
import RegistryAPI
import TestSupport

/// Running Tests/verifier/verify_chain.py (Python 3 standard library only) on an NDJSON export.
enum IndependentVerifier {
    static var scriptPath: String {
        // …/Tests/RegistryTests/Audit/IndependentVerifier.swift → …/Tests/verifier/verify_chain.py
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("verifier/verify_chain.py").path
    }

    struct Result {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    /// Runs the verifier with `arguments`, feeding `stdin`.
    static func run(_ arguments: [String], stdin: [UInt8] = []) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", scriptPath] + arguments
        let out = Pipe(), err = Pipe(), input = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        try process.run()
        // Written from another thread: a large export must not deadlock against a full stdout pipe.
        let writer = Thread { [input] in
            input.fileHandleForWriting.write(Data(stdin))
            try? input.fileHandleForWriting.close()
        }
        writer.start()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
                      stderr: String(decoding: stderr, as: UTF8.self))
    }

    /// Runs the verifier on `export` written to a temporary file.
    static func run(file export: [UInt8]) throws -> Result {
        let path = NSTemporaryDirectory() + "events-\(UUID().uuidString).ndjson"
        try Data(export).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        return try run([path])
    }

    /// Every event as NDJSON in exactly the API's event representation (api-v2.md §8, written by the
    /// product's `Representations.event`), by institution identifier then sequence: what
    /// `GET /events/export?format=ndjson&sort=sequence` returns (AUD-12, AUD-55).
    static func export(_ registry: TestRegistry) throws -> [UInt8] {
        let connection = try PGConnection.connect(PGConnectionSettings(connectionString: registry.conninfo))
        var query: PGQuery = "SELECT "
        query.append(Representations.event.selectList)
        query.append(#" FROM premis_events e JOIN institutions i ON i.id = e.institution_id ORDER BY i.identifier COLLATE "C", e.sequence, e.id"#)
        let result = try connection.query(query)
        var writer = JSONWriter(capacity: 1024 * max(result.rowCount, 1))
        for row in 0..<result.rowCount {
            Representations.event.writeObject(result, row: row, into: &writer)
            writer.bytes.append(UInt8(ascii: "\n"))
        }
        return writer.bytes
    }
}
