import HTTPServer
import Postgres
import RegistryCore

/// The body of `GET /objects/{obj}/premis` (auditor.md AUD-20..25): one PREMIS 3.0 document,
/// streamed with constant memory (AUD-25 applies the AUD-13 bounds to an object with 100,000
/// files) from one REPEATABLE READ READ ONLY transaction (`SnapshotExportStream`, shared with the
/// event export), so the object, its files and its events are one consistent snapshot. The
/// statement timeout is off and `EXPORT_MAX_SECONDS` applies; an error after the first byte
/// truncates the transfer.
enum PremisStream {
    static let contentType = "application/xml; charset=utf-8"

    /// Root element: children in the order of the PREMIS `premisComplexType` sequence (objects,
    /// events, agents), AUD-20.
    static let prolog: StaticString = """
        <?xml version="1.0" encoding="UTF-8"?>
        <premis:premis xmlns:premis="http://www.loc.gov/premis/v3" \
        xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" \
        xsi:schemaLocation="http://www.loc.gov/premis/v3 http://www.loc.gov/standards/premis/v3/premis.xsd" \
        version="3.0">

        """

    static func response(objectID: Int64, pool: PostgresPool, headers: HTTPHeaders, maxSeconds: Int,
                         failures: StreamFailureMapper) -> HTTPResponse {
        SnapshotExportStream.response(headers: headers, pool: pool, maxSeconds: maxSeconds, failures: failures) {
            (connection, deadline, xml: inout PremisXML) in
            try write(objectID: objectID, on: connection, deadline: deadline, into: &xml)
        }
    }

    private static func write(objectID: Int64, on connection: PGConnection, deadline: ExportDeadline,
                              into xml: inout PremisXML) throws {
        let object = try connection.query(PremisQueries.object(objectID))
        guard object.rowCount == 1 else {
            throw PGError(kind: .other, message: "object \(objectID) vanished before its PREMIS export was read")
        }
        xml.raw(prolog)
        try PremisObjects.writeIntellectualEntity(object, objectID: objectID, on: connection, deadline: deadline,
                                                  into: &xml)
        try PremisObjects.writeFiles(object, objectID: objectID, on: connection, deadline: deadline, into: &xml)
        try PremisEvents.writeEvents(objectID: objectID, on: connection, deadline: deadline, into: &xml)
        try PremisEvents.writeAgents(objectID: objectID, on: connection, deadline: deadline, into: &xml)
        xml.raw("</premis:premis>\n")
    }
}
