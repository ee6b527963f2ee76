import Postgres
import RegistryCore

/// Parents named in list filters (api-v2.md API-49; domain.md DOM-93, DOM-94, DOM-96a): a filter
/// naming a record the caller may not see — or one that does not exist — makes the list empty; a
/// visible parent makes the list show its children, whichever institution owns them.
enum ParentFilters {
    /// The objects named by `intellectual_object_identifier` / `object_identifier` /
    /// `intellectual_object_id`, or nil when one of them is unknown or invisible.
    static func objects(_ filters: ListFilters, identifierNames: [String], idName: String?, caller: Caller,
                        on connection: PGConnection) throws -> [ObjectRef]? {
        var found: [ObjectRef] = []
        // API-45: an unparsable id is a 400 even when another filter already names nothing.
        let id = try idName.flatMap { try filters.integer($0) }
        for text in filters.values(identifierNames) {
            // An identifier always has a `/`; digits alone would otherwise be read as an id.
            guard NumericID.parse(text) == nil,
                  let object = try RecordLookups.object(identifierOrID: text, caller: caller, on: connection)
            else { return nil }
            found.append(object)
        }
        if let id {
            guard let object = try RecordLookups.object(identifierOrID: String(id), caller: caller, on: connection)
            else { return nil }
            found.append(object)
        }
        return found
    }

    /// The files named by `generic_file_identifier` / `generic_file_id`, or nil when one of them is
    /// unknown or invisible.
    static func files(_ filters: ListFilters, caller: Caller, on connection: PGConnection) throws -> [FileRef]? {
        var found: [FileRef] = []
        let id = try filters.integer("generic_file_id")
        for text in filters.values(["generic_file_identifier"]) {
            guard NumericID.parse(text) == nil,
                  let file = try RecordLookups.file(identifierOrID: text, caller: caller, on: connection)
            else { return nil }
            found.append(file)
        }
        if let id {
            guard let file = try RecordLookups.file(identifierOrID: String(id), caller: caller, on: connection)
            else { return nil }
            found.append(file)
        }
        return found
    }

}
