import Formats
import Postgres
import RegistryCore

/// The object representation (api-v2.md §8) as one query, shared by show, create and update.
enum ObjectRepresentation {
    /// The representation's columns, then `institution_id` and `access` again for the show rule.
    static func query(identifierOrID text: String) -> PGQuery {
        if let id = NumericID.parse(text) { return query(id: id) }
        return select(where: "o.identifier = \(text)")
    }

    static func query(id: Int64) -> PGQuery {
        select(where: "o.id = \(id)")
    }

    private static func select(where condition: PGQuery) -> PGQuery {
        var query = selectPrefix
        query.append(condition)
        return query
    }

    /// Built once: GET object is the hottest read, and assembling the long select list per request
    /// showed up in its profile (5 % of the server's CPU).
    private static let selectPrefix: PGQuery = {
        var query: PGQuery = "SELECT "
        query.append(Representations.object.selectList)
        query.append(", o.institution_id, o.access FROM intellectual_objects o JOIN institutions i ON i.id = o.institution_id WHERE ")
        return query
    }()

    /// domain.md §7.1 for the row of `query(identifierOrID:)`.
    static func visible(_ result: PGResult, to caller: Caller) -> Bool {
        let extra = Representations.object.columns.count
        guard let institutionID = try? result.int64(0, extra), let access = result.string(0, extra + 1) else {
            return false
        }
        return caller.canShow(objectOf: institutionID, access: access)
    }

    /// The JSON of object `id` as committed so far on `connection` (responses of create and update).
    static func bytes(id: Int64, on connection: PGConnection) throws -> [UInt8] {
        let result = try connection.query(query(id: id))
        guard result.rowCount == 1 else {
            throw PGError(kind: .other, message: "object \(id) not found after writing it")
        }
        var writer = JSONWriter(capacity: 2048)
        Representations.object.writeObject(result, row: 0, into: &writer)
        return writer.bytes
    }
}
