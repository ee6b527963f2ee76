import Postgres

/// The event list's `event_type` and `outcome` filters (AUD-1) written into the SQL text as
/// literals instead of bound parameters. Why: the server prepares every statement, and after five
/// executions PostgreSQL may switch to a generic plan that assumes an average value (1/18 of the
/// events per type). For `institution=…&event_type=deletion` that plan walks the institution's
/// date_time index and filters, reading millions of events to fill a page of a rare type; with the
/// value in the text each type gets its own statement and a plan that knows the type's frequency
/// (a rare one is read through premis_events_type_created_idx). The values are closed vocabularies
/// (DOM-36, DOM-37), already validated, so the statements stay few. Keep the tables in step with
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
    static let outcomes: [String: StaticString] = ["Success": "'Success'", "Failure": "'Failure'", "Failed": "'Failed'"]

    /// `column = 'v'` for one value, `column IN ('v', 'w')` for several. A value missing from the
    /// table (only if it and `Vocabulary` drifted apart) is bound as a parameter instead.
    static func condition(_ column: StaticString, _ values: [String], literals: [String: StaticString]) -> PGQuery {
        var condition: PGQuery = ""
        condition.appendUnescaped(column)
        condition.appendUnescaped(values.count == 1 ? " = " : " IN (")
        for (index, value) in values.enumerated() {
            if index > 0 { condition.appendUnescaped(", ") }
            if let literal = literals[value] { condition.appendUnescaped(literal) } else { condition.appendBinding(value) }
        }
        if values.count > 1 { condition.appendUnescaped(")") }
        return condition
    }
}
