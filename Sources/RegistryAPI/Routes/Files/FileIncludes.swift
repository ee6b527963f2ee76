import RegistryCore
import Routing

/// Which nested lists a file representation carries (api-v2.md API-96).
struct FileIncludes: Sendable {
    var checksums = false
    var events = false
    var storageRecords = false

    static let names: Set<String> = ["include_relations", "include_checksums", "include_events", "include_storage_records"]

    /// What write responses carry: the file with `checksums` and `premis_events` (API-98, API-99).
    static let checksumsAndEvents = FileIncludes(checksums: true, events: true, storageRecords: false)

    var isEmpty: Bool { !checksums && !events && !storageRecords }

    /// The flags of a show or list request; each is exactly `true` or `false` (API-48), else 400.
    static func parse(_ query: QueryParameters) throws(RegistryError) -> FileIncludes {
        let filters = ListFilters(query)
        var includes = FileIncludes()
        if try filters.boolean("include_relations") == true {
            includes.checksums = true
            includes.events = true
        }
        if try filters.boolean("include_checksums") == true { includes.checksums = true }
        if try filters.boolean("include_events") == true { includes.events = true }
        if try filters.boolean("include_storage_records") == true { includes.storageRecords = true }
        return includes
    }
}
