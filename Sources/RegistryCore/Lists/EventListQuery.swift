import Formats
import Postgres

/// The query string of an event list (auditor.md AUD-1..3), parsed and checked without the
/// database: every value that cannot be valid is a 400 before any record is looked up.
public struct EventListQuery: Sendable {
    /// AUD-1 filters with their aliases.
    public static let filters: Set<String> = [
        "institution", "institution_identifier", "object_identifier", "intellectual_object_identifier",
        "file_identifier", "generic_file_identifier", "object_level", "identifier", "event_identifier",
        "event_type", "outcome", "agent", "date_time_after", "date_time_before", "created_after", "created_before",
        "sequence_min", "sequence_max",
    ]
    /// API-45a: these may repeat (OR); an alias counts as its filter.
    public static let repeatable: Set<String> = ["institution", "institution_identifier", "event_type", "outcome"]

    public let parameters: ListParameters
    public let sort: EventSort
    /// `institution` / `institution_identifier`.
    public let institutions: InstitutionFilter
    public let objectIdentifier: String?
    public let fileIdentifier: String?
    public let objectLevel: Bool
    /// Lower case (DOM-15). Not necessarily a UUID: a value that is none names no event, so the list
    /// is empty (API-49), like any other identifier that matches nothing.
    public let identifier: String?
    public let eventTypes: [String]
    /// With `Failed` and `Failure` both present whenever either was asked for (DOM-37).
    public let outcomes: [String]
    public let agent: String?
    public let dateTimeAfter: Timestamp?
    public let dateTimeBefore: Timestamp?
    public let createdAfter: Timestamp?
    public let createdBefore: Timestamp?
    public let sequenceMin: Int64?
    public let sequenceMax: Int64?

    /// - Parameters:
    ///   - pathInstitution: the list's path names an institution (`/events/{inst}`), which counts as
    ///     the single institution `sequence_min`/`sequence_max` need.
    ///   - defaultSort: `date` for lists (AUD-3), `sequence` for exports (AUD-10).
    public init(_ query: FilterValues, pathInstitution: Bool, defaultSort: EventSort = .date) throws(RegistryError) {
        parameters = try ListParameters.parse(query)
        guard let sort = EventSort(rawValue: parameters.sort ?? defaultSort.rawValue) else {
            throw .badRequest("invalid sort: \(parameters.sort ?? "")")
        }
        self.sort = sort
        let filters = ListFilters(query)
        institutions = try InstitutionFilter(filters, names: ["institution", "institution_identifier"])
        objectIdentifier = filters.value("object_identifier", "intellectual_object_identifier")
        fileIdentifier = filters.value("file_identifier", "generic_file_identifier")
        objectLevel = try filters.boolean("object_level") ?? false
        identifier = filters.value(query.contains("event_identifier") ? "event_identifier" : "identifier")?.lowercased()
        eventTypes = try Self.vocabulary(filters, "event_type", Vocabulary.eventType)
        outcomes = Self.failureEquivalent(try Self.vocabulary(filters, "outcome", Vocabulary.eventOutcome))
        agent = filters.value("agent")
        dateTimeAfter = try filters.timestamp("date_time_after")
        dateTimeBefore = try filters.timestamp("date_time_before")
        createdAfter = try filters.timestamp("created_after")
        createdBefore = try filters.timestamp("created_before")
        sequenceMin = try filters.integer("sequence_min")
        sequenceMax = try filters.integer("sequence_max")
        // AUD-1/API-45a: one institution, from the path or the filter; more than one in the filter
        // is a 400 even under an institution path.
        if sequenceMin != nil || sequenceMax != nil,
           institutions.distinctCount > 1 || (institutions.distinctCount == 0 && !pathInstitution) {
            throw .badRequest("sequence_min and sequence_max need exactly one institution")
        }
    }

    private static func vocabulary(_ filters: ListFilters, _ name: String, _ allowed: Set<String>) throws(RegistryError) -> [String] {
        let given = filters.values([name])
        for value in given where !allowed.contains(where: { $0.utf8.elementsEqual(value.utf8) }) {
            throw .badRequest("invalid value for \(name): \(value)")
        }
        return given
    }

    /// DOM-37: a filter on `Failed` or `Failure` matches both.
    private static func failureEquivalent(_ outcomes: [String]) -> [String] {
        guard outcomes.contains(where: { Vocabulary.failureOutcomes.contains($0) }) else { return outcomes }
        return outcomes.filter { !Vocabulary.failureOutcomes.contains($0) } + Vocabulary.failureOutcomes
    }
}

/// AUD-3 sort orders; each ends with `id` in the same direction (API-46).
public enum EventSort: String, Sendable {
    case date
    case dateAscending = "date_asc"
    case created
    case sequence
    case name

    /// - Parameter singleInstitution: every row belongs to one institution, so `sequence` alone
    ///   orders it — and the (institution_id, sequence) index can serve the order directly.
    public func orderBy(singleInstitution: Bool) -> StaticString {
        switch self {
        case .date: " ORDER BY e.date_time DESC, e.id DESC"
        case .dateAscending: " ORDER BY e.date_time, e.id"
        case .created: " ORDER BY e.created_at DESC, e.id DESC"
        case .sequence: singleInstitution ? " ORDER BY e.sequence, e.id" : " ORDER BY i.identifier, e.sequence, e.id"
        case .name: " ORDER BY e.identifier, e.id"
        }
    }
}
