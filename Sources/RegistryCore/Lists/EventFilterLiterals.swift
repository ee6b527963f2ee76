import Postgres

/// The event list's `event_type` and `outcome` filters (AUD-1) written into the SQL text as
/// literals instead of bound parameters. Why: the server prepares every statement, and after five
/// executions PostgreSQL may switch to a generic plan that assumes an average value (1/18 of the
/// events per type). For `institution=…&event_type=deletion` that plan walks the institution's
/// date_time index and filters, reading millions of events to fill a page of a rare type; with the
/// value in the text each type gets its own statement and a plan that knows the type's frequency
/// (a rare one is read through premis_events_type_created_idx). The values are closed vocabularies
/// (DOM-36, DOM-37), already validated. Each distinct SQL text is a prepared statement in every
/// pooled session's cache (256 each), so the texts must stay few: one type is a literal (18
/// texts), several types stay one bound `= ANY` (any set of 18 would be 262,143 texts), and the
/// outcomes are written as a set in a fixed order (7 texts). Keep the tables in step with
/// `Vocabulary` (a unit test compares them).
enum EventFilterLiterals {
    static let eventTypes: [String: StaticString] = [
        "access assignment": "'access assignment'", "capture": "'capture'", "compression": "'compression'",
        "creation": "'creation'", "deaccession": "'deaccession'", "decompression": "'decompression'",
        "decryption": "'decryption'", "deletion": "'deletion'",
        "digital signature validation": "'digital signature validation'", "fixity check": "'fixity check'",
        "identifier assignment": "'identifier assignment'", "ingestion": "'ingestion'",
        "message digest calculation": "'message digest calculation'", "migration": "'migration'",
        "normalization": "'normalization'", "replication": "'replication'", "validation": "'validation'",
        "virus check": "'virus check'",
    ]
    /// In the order they are written.
    static let outcomes: [(value: String, literal: StaticString)] = [
        ("Success", "'Success'"), ("Failure", "'Failure'"), ("Failed", "'Failed'"),
    ]

    /// `e.event_type = 'v'` for one distinct type, else `e.event_type = ANY($n)`.
    static func eventTypeCondition(_ values: [String]) -> PGQuery {
        let distinct = Set(values)
        if distinct.count == 1, let only = distinct.first, let literal = eventTypes[only] {
            var condition: PGQuery = "e.event_type = "
            condition.appendUnescaped(literal)
            return condition
        }
        return "e.event_type = ANY(\(distinct.sorted()))"
    }

    /// `e.outcome = 'v'` or `e.outcome IN ('v', 'w')`, the distinct values in the table's order; a
    /// value outside the table (only if it and `Vocabulary` drifted apart) makes it a bound `= ANY`.
    static func outcomeCondition(_ values: [String]) -> PGQuery {
        let distinct = Set(values)
        let known = outcomes.filter { distinct.contains($0.value) }
        guard known.count == distinct.count else { return "e.outcome = ANY(\(distinct.sorted()))" }
        var condition: PGQuery = "e.outcome"
        condition.appendUnescaped(known.count == 1 ? " = " : " IN (")
        for (index, entry) in known.enumerated() {
            if index > 0 { condition.appendUnescaped(", ") }
            condition.appendUnescaped(entry.literal)
        }
        if known.count > 1 { condition.appendUnescaped(")") }
        return condition
    }
}
