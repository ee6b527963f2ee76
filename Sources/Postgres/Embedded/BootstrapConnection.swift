import CLibpq
import Foundation

/// A minimal blocking libpq connection used only to bootstrap the embedded cluster (check that
/// the socket answers, create the `registry` database). The full client lives elsewhere in this
/// module; this stays private so cluster start-up does not depend on it.
final class BootstrapConnection {
    private let connection: OpaquePointer

    /// Connects with a key=value conninfo.
    init(conninfo: String) throws {
        guard let connection = PQconnectdb(conninfo) else {
            throw EmbeddedClusterError("cannot allocate a libpq connection")
        }
        guard PQstatus(connection) == CONNECTION_OK else {
            let message = String(cString: PQerrorMessage(connection))
            PQfinish(connection)
            throw EmbeddedClusterError("cannot connect to the embedded PostgreSQL: \(message.trimmed)")
        }
        self.connection = connection
    }

    deinit {
        PQfinish(connection)
    }

    /// True when a connection can be made right now.
    static func canConnect(conninfo: String) -> Bool {
        (try? BootstrapConnection(conninfo: conninfo)) != nil
    }

    /// Runs a parameterized query and returns whether it produced at least one row.
    func hasRows(_ sql: String, _ parameters: [String]) throws -> Bool {
        let result = try execute(sql, parameters, expecting: PGRES_TUPLES_OK)
        defer { PQclear(result) }
        return PQntuples(result) > 0
    }

    /// Runs one utility statement with no parameters (CREATE DATABASE cannot take parameters).
    /// - Returns: nil on success, else the SQLSTATE and message.
    func command(_ sql: String) -> (sqlState: String, message: String)? {
        do {
            PQclear(try execute(sql, [], expecting: PGRES_COMMAND_OK))
            return nil
        } catch let failure as StatementFailure {
            return (failure.sqlState, failure.message)
        } catch {
            return ("", "\(error)")
        }
    }

    private struct StatementFailure: Error {
        let sqlState: String
        let message: String
    }

    private func execute(_ sql: String, _ parameters: [String], expecting expected: ExecStatusType) throws -> OpaquePointer {
        let cStrings = parameters.map { strdup($0) }
        defer { cStrings.forEach { free($0) } }
        let values: [UnsafePointer<CChar>?] = cStrings.map { UnsafePointer($0) }
        let result = PQexecParams(connection, sql, Int32(values.count), nil, values, nil, nil, 0)
        guard let result else {
            throw StatementFailure(sqlState: "", message: String(cString: PQerrorMessage(connection)).trimmed)
        }
        guard PQresultStatus(result) == expected else {
            let sqlState = PQresultErrorField(result, Int32(UInt8(ascii: "C"))).map { String(cString: $0) } ?? ""
            let message = String(cString: PQresultErrorMessage(result)).trimmed
            PQclear(result)
            throw StatementFailure(sqlState: sqlState, message: message)
        }
        return result
    }
}

private extension String {
    var trimmed: String {
        var text = Substring(self)
        while let last = text.last, last.isWhitespace { text.removeLast() }
        while let first = text.first, first.isWhitespace { text.removeFirst() }
        return String(text)
    }
}
