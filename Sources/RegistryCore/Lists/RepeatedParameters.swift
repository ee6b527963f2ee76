/// api-v2.md API-45a: which query parameters may be given more than once. An alias counts as its
/// filter, so `object_identifier=a&intellectual_object_identifier=b` names one filter twice, exactly
/// like `object_identifier=a&object_identifier=b`. The API and the HTML lists both check here.
public struct RepeatedParameters {
    /// Every alias a list filter has, mapped to the filter's own name (api-v2.md §10, auditor.md
    /// AUD-1); the HTML list forms name their controls by the filter's own name.
    public static let filterOfAlias: [String: String] = [
        "intellectual_object_identifier": "object_identifier",
        "generic_file_identifier": "file_identifier",
        "event_identifier": "identifier",
        "institution_identifier": "institution",
        "institution_id": "institution",
        "action": "item_action",
        "updated_since": "updated_after",
        "createdBefore": "created_before",
    ]

    private let repeatable: Set<String>
    private var seen = Set<String>()

    /// `repeatable`: the names (filters or aliases) that may occur more than once (OR).
    public init(repeatable: Set<String>) {
        self.repeatable = repeatable
    }

    /// Notes one more parameter of the query, in order. Throws 400 `parameter may not repeat:
    /// <name>` (the later occurrence, as sent) when its filter, counting aliases, was already given
    /// and neither the name nor its filter may repeat.
    public mutating func note(_ name: String) throws(RegistryError) {
        let filter = Self.filterOfAlias[name] ?? name
        if !seen.insert(filter).inserted && !repeatable.contains(name) && !repeatable.contains(filter) {
            throw .badRequest("parameter may not repeat: \(name)")
        }
    }
}
