import Postgres

/// EXPLAIN output for the query-plan tests: the plan of `query`, one plan line per row.
extension PGConnection {
    /// - Parameter prefix: `EXPLAIN ` by default; e.g. `EXPLAIN DECLARE c NO SCROLL CURSOR FOR ` for a cursor.
    /// - Parameter genericPlan: when set, the plan-cache mode first (`force_generic_plan` or
    ///   `force_custom_plan`), as a prepared statement would be planned.
    public func planText(of query: PGQuery, prefix: StaticString = "EXPLAIN ", genericPlan: Bool? = nil) throws -> String {
        if let genericPlan {
            try execute(genericPlan ? "SET plan_cache_mode = force_generic_plan" : "SET plan_cache_mode = force_custom_plan")
        }
        var explain: PGQuery = ""
        explain.appendUnescaped(prefix)
        explain.append(query)
        return Self.lines(try self.query(explain))
    }

    /// The first column of every row, joined with newlines (how EXPLAIN returns its plan).
    public static func lines(_ result: PGResult) -> String {
        (0..<result.rowCount).compactMap { result.string($0, 0) }.joined(separator: "\n")
    }
}
