import CLibpq

extension PGError {
    /// The error carried by a failed `PGresult`, or by the connection when libpq returned no result.
    /// A connection that is now `CONNECTION_BAD` makes the error a `.connectionFailure` whatever the
    /// SQLSTATE said: the session is gone, and the pool must find out.
    static func fromFailedResult(_ result: OpaquePointer?, connection: OpaquePointer) -> PGError {
        var error: PGError
        if let result {
            let sqlState = field(result, diagSQLState)
            let message = field(result, diagMessagePrimary)
                ?? trimmed(String(cString: PQresultErrorMessage(result)))
            error = PGError(
                sqlState: sqlState, message: message.isEmpty ? "unknown database error" : message,
                detail: field(result, diagMessageDetail),
                constraint: field(result, diagConstraintName))
        } else {
            error = PGError(kind: .other, message: connectionMessage(connection))
        }
        if PQstatus(connection) == CONNECTION_BAD {
            error.kind = .connectionFailure
        }
        return error
    }

    /// An error reported by libpq on the connection itself (no result object).
    static func fromConnection(_ connection: OpaquePointer, kind: Kind = .connectionFailure) -> PGError {
        PGError(kind: PQstatus(connection) == CONNECTION_BAD ? .connectionFailure : kind,
                message: connectionMessage(connection))
    }

    /// A misuse detected on the client side (never a server error).
    static func client(_ message: String) -> PGError {
        PGError(kind: .other, message: message)
    }

    private static func connectionMessage(_ connection: OpaquePointer) -> String {
        let message = trimmed(String(cString: PQerrorMessage(connection)))
        return message.isEmpty ? "unknown libpq error" : message
    }

    private static func field(_ result: OpaquePointer, _ code: UInt8) -> String? {
        guard let pointer = PQresultErrorField(result, Int32(code)) else { return nil }
        return String(cString: pointer)
    }

    private static func trimmed(_ text: String) -> String {
        var text = Substring(text)
        while let last = text.last, last == "\n" || last == " " { text = text.dropLast() }
        return String(text)
    }
}

// Diagnostic field codes (postgres_ext.h defines them as character literals).
private let diagSQLState = UInt8(ascii: "C")
private let diagMessagePrimary = UInt8(ascii: "M")
private let diagMessageDetail = UInt8(ascii: "D")
private let diagConstraintName = UInt8(ascii: "n")
