import Formats
import Postgres

/// Reading the canonical members of an event back from its stored row (auditor.md AUD-44: the hashes
/// are over exactly what is stored), for `registry audit verify` and for proofs. Building the text
/// through `CanonicalEvent.serialized` keeps the member order and escaping in one place.
extension CanonicalEvent {
    /// The 13 stored members of AUD-40 except `institution` (a property of the chain, read once per
    /// institution), in canonical order; needs the alias `e` for premis_events. Columns
    /// `offset ..< offset + storedColumnCount` of a result.
    public static let storedSelectList: PGQuery = """
        e.agent, e.created_at, e.date_time, e.detail, e.event_type, e.generic_file_identifier, e.identifier::text, \
        e.intellectual_object_identifier, e.object, e.outcome, e.outcome_detail, e.outcome_information, e.sequence
        """

    public static let storedColumnCount = 13

    /// The event stored in `row`, read from the columns of `storedSelectList` starting at `offset`.
    /// Nil when a NOT NULL member is NULL or a timestamp does not parse — a row no append can have
    /// written, which a verifier reports as a mismatch.
    public init?(result: PGResult, row: Int, offset: Int, institution: String) {
        func text(_ index: Int) -> String? { result.string(row, offset + index) }
        guard let agent = text(0), let createdAt = try? result.timestamp(row, offset + 1),
              let dateTime = try? result.timestamp(row, offset + 2), let detail = text(3), let eventType = text(4),
              let identifier = text(6), let objectIdentifier = text(7), let object = text(8), let outcome = text(9),
              let outcomeDetail = text(10), let sequence = try? result.int64(row, offset + 12)
        else { return nil }
        self.init(agent: agent, createdAt: createdAt, dateTime: dateTime, detail: detail, eventType: eventType,
                  genericFileIdentifier: text(5), identifier: identifier, institution: institution,
                  intellectualObjectIdentifier: objectIdentifier, object: object, outcome: outcome,
                  outcomeDetail: outcomeDetail, outcomeInformation: text(11), sequence: sequence)
    }
}
