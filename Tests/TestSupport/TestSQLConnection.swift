import CLibpq
import Foundation

/// A tiny blocking libpq connection for test fixtures and assertions. Independent of the product's
/// Postgres client on purpose, so tests of that client do not verify it with itself.
public final class TestSQLConnection {
    private let connection: OpaquePointer

    /// A failed connection or statement, with the server's SQLSTATE when there is one.
    public struct Failure: Error, CustomStringConvertible {
        public let sqlState: String?
        public let message: String
        public var description: String { sqlState.map { "\($0): \(message)" } ?? message }
    }

    /// Connects with a key=value conninfo.
    public init(conninfo: String) throws {
        guard let connection = PQconnectdb(conninfo) else {
            throw Failure(sqlState: nil, message: "cannot allocate a libpq connection")
        }
        guard PQstatus(connection) == CONNECTION_OK else {
            let message = String(cString: PQerrorMessage(connection))
            PQfinish(connection)
            throw Failure(sqlState: nil, message: message.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        self.connection = connection
    }

    deinit {
        PQfinish(connection)
    }

    /// Runs `sql` with text parameters `$1…` (nil is SQL NULL) and returns every row as text
    /// (nil for NULL). Statements that return no rows give `[]`.
    @discardableResult
    public func query(_ sql: String, _ parameters: [String?] = []) throws -> [[String?]] {
        let cStrings: [UnsafeMutablePointer<CChar>?] = parameters.map { $0.flatMap { strdup($0) } }
        defer { cStrings.forEach { free($0) } }
        let values: [UnsafePointer<CChar>?] = cStrings.map { UnsafePointer($0) }
        guard let result = PQexecParams(connection, sql, Int32(values.count), nil, values, nil, nil, 0) else {
            throw Failure(sqlState: nil, message: String(cString: PQerrorMessage(connection)))
        }
        defer { PQclear(result) }
        switch PQresultStatus(result) {
        case PGRES_COMMAND_OK:
            return []
        case PGRES_TUPLES_OK:
            return (0..<PQntuples(result)).map { row in
                (0..<PQnfields(result)).map { column in
                    PQgetisnull(result, row, column) == 1 ? nil : String(cString: PQgetvalue(result, row, column))
                }
            }
        default:
            let sqlState = PQresultErrorField(result, Int32(UInt8(ascii: "C"))).map { String(cString: $0) }
            let message = String(cString: PQresultErrorMessage(result)).trimmingCharacters(in: .whitespacesAndNewlines)
            throw Failure(sqlState: sqlState, message: message)
        }
    }

    /// The single value of a one-row, one-column query.
    public func scalar(_ sql: String, _ parameters: [String?] = []) throws -> String? {
        let rows = try query(sql, parameters)
        guard rows.count == 1, rows[0].count == 1 else {
            throw Failure(sqlState: nil, message: "expected one value from \(sql), got \(rows.count) rows")
        }
        return rows[0][0]
    }

    /// Double-quotes an SQL identifier.
    public static func quoteIdentifier(_ name: String) -> String {
        "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
