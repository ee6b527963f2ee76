import Formats
import Foundation
import Postgres
import RegistryCore

/// Objects, files and PREMIS events for tests that need a chain before the routes that create them
/// are involved. Events go through the product's `EventStore.append` (the only way events are
/// stored, AUD-45), so the chains they build are real ones.
extension TestRegistry {
    /// The fields of one event to append; parents are named by identifier.
    public struct TestEvent: Sendable {
        public var identifier: String
        public var eventType: String
        public var dateTime: String
        public var detail: String
        public var outcome: String
        public var outcomeDetail: String
        public var outcomeInformation: String?
        public var object: String
        public var agent: String
        public var objectIdentifier: String
        public var fileIdentifier: String?

        public init(identifier: String = UUID().uuidString.lowercased(), eventType: String = "ingestion",
                    dateTime: String = "2024-05-01T13:02:03.123456Z", detail: String = "Object ingested",
                    outcome: String = "Success", outcomeDetail: String = "ok", outcomeInformation: String? = nil,
                    object: String = "APTrust exchange", agent: String = "https://github.com/APTrust/exchange",
                    objectIdentifier: String, fileIdentifier: String? = nil) {
            self.identifier = identifier
            self.eventType = eventType
            self.dateTime = dateTime
            self.detail = detail
            self.outcome = outcome
            self.outcomeDetail = outcomeDetail
            self.outcomeInformation = outcomeInformation
            self.object = object
            self.agent = agent
            self.objectIdentifier = objectIdentifier
            self.fileIdentifier = fileIdentifier
        }
    }

    /// Creates an object of the institution its identifier starts with; returns its id.
    @discardableResult
    public func makeObject(_ identifier: String, access: String = "institution") throws -> Int64 {
        let rows = try sql().query("""
            INSERT INTO intellectual_objects (identifier, bag_name, institution_id, title, access)
            VALUES ($1, split_part($1, '/', 2), (SELECT id FROM institutions WHERE identifier = split_part($1, '/', 1)),
                    'Title of ' || $1, $2)
            RETURNING id
            """, [identifier, access])
        return Int64(rows[0][0] ?? "0") ?? 0
    }

    /// Creates a file under the object its identifier starts with; returns its id.
    @discardableResult
    public func makeFile(_ identifier: String) throws -> Int64 {
        let rows = try sql().query("""
            INSERT INTO generic_files (identifier, intellectual_object_id, intellectual_object_identifier, institution_id,
                                       file_format, uri, size)
            SELECT $1, o.id, o.identifier, o.institution_id, 'text/plain', 'https://s3.example.org/' || md5($1), 1
            FROM intellectual_objects o
            WHERE o.identifier = split_part($1, '/', 1) || '/' || split_part($1, '/', 2)
            RETURNING id
            """, [identifier])
        return Int64(rows[0][0] ?? "0") ?? 0
    }

    /// `count` object-level events of `object`, each with a fresh identifier.
    public static func events(_ count: Int, object: String, detail: String = "Object ingested") -> [TestEvent] {
        (0..<count).map { index in TestEvent(detail: "\(detail) #\(index + 1)", objectIdentifier: object) }
    }

    /// Appends `events` (all of one institution) in one transaction through `EventStore.append`,
    /// as a create would; returns one outcome per event.
    @discardableResult
    public func appendEvents(_ events: [TestEvent]) throws -> [EventOutcome] {
        let connection = try PGConnection.connect(PGConnectionSettings(connectionString: conninfo))
        return try connection.transaction { connection in
            var resolved: [NewEvent] = []
            var institution: (id: Int64, identifier: String)?
            for event in events {
                let parent = try connection.query("""
                    SELECT o.id, o.institution_id, i.identifier, f.id
                    FROM intellectual_objects o JOIN institutions i ON i.id = o.institution_id
                    LEFT JOIN generic_files f ON f.identifier = \(event.fileIdentifier)
                    WHERE o.identifier = \(event.objectIdentifier)
                    """)
                guard parent.rowCount == 1, let objectID = try parent.int64(0, 0), let institutionID = try parent.int64(0, 1),
                      let dateTime = Timestamp(rfc3339: event.dateTime)
                else { throw PGError(kind: .other, message: "test event: unknown object \(event.objectIdentifier) or bad date_time") }
                institution = (institutionID, parent.string(0, 2) ?? "")
                let content = EventContent(
                    identifier: event.identifier, eventType: event.eventType, dateTime: dateTime, detail: event.detail,
                    outcome: event.outcome, outcomeDetail: event.outcomeDetail,
                    outcomeInformation: event.outcomeInformation, object: event.object, agent: event.agent)
                resolved.append(NewEvent(content: content, objectID: objectID, objectIdentifier: event.objectIdentifier,
                                         fileID: try parent.int64(0, 3), fileIdentifier: event.fileIdentifier))
            }
            guard let institution else { return [] }
            return try EventStore.append(resolved, institutionID: institution.id,
                                         institutionIdentifier: institution.identifier, on: connection)
        }
    }
}
