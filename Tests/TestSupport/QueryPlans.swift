import CLibpq
import Foundation
@testable import Postgres

/// EXPLAIN output for the query-plan tests: the plan of `query`, one plan line per row.
extension PGConnection {
    /// - Parameter prefix: `EXPLAIN ` by default; e.g. `EXPLAIN DECLARE c NO SCROLL CURSOR FOR ` for a cursor.
    /// - Parameter genericPlan: true → the generic plan a cached prepared statement may switch to
    ///   (the statement is prepared and explained with `EXPLAIN EXECUTE` under
    ///   `plan_cache_mode = force_generic_plan`); false → the plan for these values
    ///   (`force_custom_plan`); nil → the session's setting. A plain `EXPLAIN` of a statement with
    ///   parameters is always planned with their values, so it cannot show the generic plan.
    public func planText(of query: PGQuery, prefix: StaticString = "EXPLAIN ", genericPlan: Bool? = nil) throws -> String {
        if let genericPlan {
            try execute(genericPlan ? "SET plan_cache_mode = force_generic_plan" : "SET plan_cache_mode = force_custom_plan")
        }
        if genericPlan == true, query.bindings.count > 0 {
            precondition("\(prefix)" == "EXPLAIN ", "a generic plan can only be shown for a plain EXPLAIN")
            return try genericPlanText(of: query)
        }
        var explain: PGQuery = ""
        explain.appendUnescaped(prefix)
        explain.append(query)
        return Self.lines(try self.query(explain))
    }

    /// PREPARE (through libpq, with the query's parameter types), then EXPLAIN EXECUTE with the
    /// values as literals (PQescapeLiteral), then DEALLOCATE. Each call names its own statement,
    /// so one left behind (a DEALLOCATE refused in an aborted transaction) cannot break the next.
    private func genericPlanText(of query: PGQuery) throws -> String {
        let bindings = query.bindings
        if let position = bindings.firstParameterContainingNUL {
            throw PGError.client("parameter $\(position) contains a NUL byte")
        }
        let name = "plan_probe_\(statements.makeName())"
        let prepared = bindings.typeOIDs.withUnsafeBufferPointer { types in
            PQprepare(handle, name, query.sql, Int32(types.count), types.baseAddress)
        }
        _ = try checkedResult(prepared)
        defer { _ = try? execute("DEALLOCATE \(name)") }
        let literals: [String?] = bindings.withCParameters { values, count in
            (0..<Int(count)).map { index in
                guard let value = values?[index] else { return "NULL" }
                guard let escaped = PQescapeLiteral(handle, value, strlen(value)) else { return nil }
                defer { PQfreemem(escaped) }
                return String(cString: escaped)
            }
        }
        guard !literals.contains(nil) else { throw PGError.fromConnection(handle, kind: .other) }
        return Self.lines(try execute("EXPLAIN EXECUTE \(name)(\(literals.compactMap { $0 }.joined(separator: ", ")))"))
    }

    /// The first column of every row, joined with newlines (how EXPLAIN returns its plan).
    public static func lines(_ result: PGResult) -> String {
        (0..<result.rowCount).compactMap { result.string($0, 0) }.joined(separator: "\n")
    }
}
