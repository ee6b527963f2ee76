import Foundation
import Testing
import TestSupport

/// `GET /objects/{obj}/premis` (auditor.md AUD-20..26): the document is parsed with Foundation's
/// XMLParser and checked element by element, in the order of the PREMIS 3.0 schema.
@Suite("PREMIS export")
struct PremisExportTests {
    static let premisNamespace = "http://www.loc.gov/premis/v3"

    @Test("AUD-20: well-formed PREMIS 3.0; root, namespaces and the order objects, files, events, agents")
    func documentStructure() throws {
        let world = try PremisWorld()
        let response = try world.get("/api/v2/objects/test.edu%2Fbag1/premis")
        #expect(response.status == 200)
        #expect(response.headers["Content-Type"] == "application/xml; charset=utf-8")
        #expect(response.headers["Transfer-Encoding"] == "chunked", "streamed")
        #expect(response.chunkedComplete == true)
        #expect(response.text.hasPrefix("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<premis:premis "))
        #expect(response.text.contains("xmlns:premis=\"http://www.loc.gov/premis/v3\""))
        #expect(response.text.contains("xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\""))

        let root = try XMLElementNode.parse(response.body)
        #expect(root.name == "premis")
        #expect(root.namespace == Self.premisNamespace)
        #expect(root.attribute("version") == "3.0")
        #expect(root.childNames == ["object", "object", "object", "event", "event", "event",
                                    "agent", "agent", "agent", "agent", "agent", "agent"])
        #expect(root.children.allSatisfy { $0.namespace == Self.premisNamespace })
        #expect(root.children.prefix(3).map { $0.attribute("type") }
            == ["premis:intellectualEntity", "premis:file", "premis:file"])
    }

    @Test("AUD-21: the intellectual entity, element by element")
    func intellectualEntity() throws {
        let world = try PremisWorld()
        let entity = try #require(try world.document().children.first)
        #expect(entity.childNames == [
            "objectIdentifier", "objectIdentifier", "preservationLevel", "significantProperties",
            "significantProperties", "significantProperties", "significantProperties", "originalName",
            "relationship", "relationship", "linkingEventIdentifier", "linkingEventIdentifier",
        ])
        let identifiers = entity.all("objectIdentifier")
        #expect(identifiers.map { $0.childNames } == Array(repeating: ["objectIdentifierType", "objectIdentifierValue"], count: 2))
        #expect(identifiers[0].text("objectIdentifierType") == "registry object identifier")
        #expect(identifiers[0].text("objectIdentifierValue") == "test.edu/bag1")
        #expect(identifiers[1].text("objectIdentifierType") == "alt_identifier")
        #expect(identifiers[1].text("objectIdentifierValue") == "alt-1")
        #expect(entity.child("preservationLevel")?.childNames == ["preservationLevelValue"])
        #expect(entity.text("preservationLevel", "preservationLevelValue") == "Standard")
        let properties = entity.all("significantProperties").map {
            [$0.text("significantPropertiesType") ?? "?", $0.text("significantPropertiesValue") ?? "?"]
        }
        // bagit_profile_identifier is null: no property for it.
        #expect(properties == [["title", PremisWorld.title], ["access", "institution"], ["state", "A"],
                               ["bag_group_identifier", PremisWorld.group]])
        #expect(entity.text("originalName") == "bag1")
        let relationships = entity.all("relationship")
        for relationship in relationships {
            #expect(relationship.childNames == ["relationshipType", "relationshipSubType", "relatedObjectIdentifier"])
            #expect(relationship.text("relationshipType") == "structural")
            #expect(relationship.text("relationshipSubType") == "includes")
            #expect(relationship.text("relatedObjectIdentifier", "relatedObjectIdentifierType") == "registry file identifier")
        }
        #expect(relationships.map { $0.text("relatedObjectIdentifier", "relatedObjectIdentifierValue") }
            == ["test.edu/bag1/data/a.txt", "test.edu/bag1/data/b & c.txt"], "every file, all states, by identifier")
        let linking = entity.all("linkingEventIdentifier")
        #expect(linking.map { $0.text("linkingEventIdentifierType") } == ["UUID", "UUID"])
        #expect(linking.map { $0.text("linkingEventIdentifierValue") }
            == [world.events["assigned"], world.events["ingested"]], "object-level events only, by date_time")
    }

    @Test("AUD-22: file objects, element by element")
    func files() throws {
        let world = try PremisWorld()
        let objects = try world.document().all("object")
        let active = objects[1], deleted = objects[2]
        #expect(active.childNames == ["objectIdentifier", "significantProperties", "objectCharacteristics", "originalName",
                                      "storage", "relationship", "linkingEventIdentifier"])
        #expect(active.text("objectIdentifier", "objectIdentifierType") == "registry file identifier")
        #expect(active.text("objectIdentifier", "objectIdentifierValue") == "test.edu/bag1/data/a.txt")
        #expect(active.text("significantProperties", "significantPropertiesType") == "state")
        #expect(active.text("significantProperties", "significantPropertiesValue") == "A")
        let characteristics = try #require(active.child("objectCharacteristics"))
        #expect(characteristics.childNames == ["compositionLevel", "fixity", "fixity", "size", "format"])
        #expect(characteristics.text("compositionLevel") == "0")
        let fixities = characteristics.all("fixity")
        #expect(fixities.map(\.childNames) == Array(repeating: ["messageDigestAlgorithm", "messageDigest"], count: 2))
        // By checksum datetime: the sha256 (2024-01-01) before the md5 (2024-01-02).
        #expect(fixities.map { $0.text("messageDigestAlgorithm") } == ["SHA-256", "MD5"])
        #expect(fixities.map { $0.child("messageDigestAlgorithm")?.attribute("valueURI") } == [
            "http://id.loc.gov/vocabulary/preservation/cryptographicHashFunctions/sha256",
            "http://id.loc.gov/vocabulary/preservation/cryptographicHashFunctions/md5",
        ])
        #expect(fixities.map { $0.text("messageDigest") } == [String(repeating: "b", count: 64), String(repeating: "a", count: 32)])
        #expect(characteristics.text("size") == "10")
        #expect(characteristics.child("format")?.childNames == ["formatDesignation"])
        #expect(characteristics.text("format", "formatDesignation", "formatName") == "text/plain")
        #expect(active.text("originalName") == "data/a.txt", "the path inside the bag")
        let storage = try #require(active.child("storage"))
        #expect(storage.childNames == ["contentLocation", "storageMedium"], "only the current storage record")
        #expect(storage.text("contentLocation", "contentLocationType") == "URI")
        #expect(storage.text("contentLocation", "contentLocationValue") == "https://s3.example/a?x=1&y=2")
        #expect(storage.text("storageMedium") == "Standard")
        let relationship = try #require(active.child("relationship"))
        #expect(relationship.text("relationshipType") == "structural")
        #expect(relationship.text("relationshipSubType") == "is included in")
        #expect(relationship.text("relatedObjectIdentifier", "relatedObjectIdentifierType") == "registry object identifier")
        #expect(relationship.text("relatedObjectIdentifier", "relatedObjectIdentifierValue") == "test.edu/bag1")
        #expect(active.text("linkingEventIdentifier", "linkingEventIdentifierValue") == world.events["fixity"])

        #expect(deleted.childNames == ["objectIdentifier", "significantProperties", "objectCharacteristics", "originalName",
                                       "relationship"])
        #expect(deleted.text("significantProperties", "significantPropertiesValue") == "D")
        #expect(deleted.child("objectCharacteristics")?.childNames == ["compositionLevel", "size", "format"])
        #expect(deleted.text("originalName") == "data/b & c.txt")
    }

    @Test("AUD-23, AUD-25, AUD-26: events, element by element; escaping of control characters and CR")
    func events() throws {
        let world = try PremisWorld()
        let events = try world.document().all("event")
        #expect(events.map { $0.text("eventIdentifier", "eventIdentifierValue") }
            == [world.events["assigned"], world.events["ingested"], world.events["fixity"]], "by date_time")
        for event in events {
            #expect(event.child("eventIdentifier")?.childNames == ["eventIdentifierType", "eventIdentifierValue"])
            #expect(event.text("eventIdentifier", "eventIdentifierType") == "UUID")
            #expect(event.child("eventType")?.attribute("authority") == "eventType")
            #expect(event.child("eventType")?.attribute("authorityURI") == "http://id.loc.gov/vocabulary/preservation/eventType")
            #expect(event.child("eventDetailInformation")?.childNames == ["eventDetail"])
            let agents = event.all("linkingAgentIdentifier")
            #expect(agents.map(\.childNames) == Array(repeating: ["linkingAgentIdentifierType", "linkingAgentIdentifierValue",
                                                                  "linkingAgentRole"], count: 2))
            #expect(agents.map { $0.text("linkingAgentIdentifierType") } == ["registry agent", "registry agent"])
            #expect(agents.map { $0.text("linkingAgentRole") } == ["executing program", "tool"])
            #expect(agents[0].child("linkingAgentRole")?.attribute("valueURI")
                == "http://id.loc.gov/vocabulary/preservation/eventRelatedAgentRole/exe")
        }

        let assigned = events[0]
        #expect(assigned.childNames == ["eventIdentifier", "eventType", "eventDateTime", "eventDetailInformation",
                                        "eventOutcomeInformation", "linkingAgentIdentifier", "linkingAgentIdentifier",
                                        "linkingObjectIdentifier"])
        #expect(assigned.text("eventType") == "identifier assignment")
        #expect(assigned.child("eventType")?.attribute("valueURI") == nil, "no id.loc.gov code (AUD-26)")
        #expect(assigned.text("eventDateTime") == "2024-04-30T00:00:00.000000Z")
        #expect(assigned.all("linkingAgentIdentifier").map { $0.text("linkingAgentIdentifierValue") } == ["Zeta agent", "ärger tool"])
        #expect(assigned.text("linkingObjectIdentifier", "linkingObjectIdentifierType") == "registry object identifier")
        #expect(assigned.text("linkingObjectIdentifier", "linkingObjectIdentifierValue") == "test.edu/bag1")

        let ingested = events[1]
        #expect(ingested.child("eventType")?.attribute("valueURI") == "http://id.loc.gov/vocabulary/preservation/eventType/ing")
        // AUD-25: U+001B is the literal text \u001B; CR and LF survive parsing.
        #expect(ingested.text("eventDetailInformation", "eventDetail") == "Ingested\\u001Bdone\r\nnext")
        let outcome = try #require(ingested.child("eventOutcomeInformation"))
        #expect(outcome.childNames == ["eventOutcome", "eventOutcomeDetail"])
        #expect(outcome.text("eventOutcome") == "Success")
        #expect(outcome.child("eventOutcome")?.attribute("valueURI") == "http://id.loc.gov/vocabulary/preservation/eventOutcome/suc")
        #expect(outcome.text("eventOutcomeDetail", "eventOutcomeDetailNote") == "ok")

        let fixity = events[2]
        #expect(fixity.childNames == ["eventIdentifier", "eventType", "eventDateTime", "eventDetailInformation",
                                      "eventOutcomeInformation", "linkingAgentIdentifier", "linkingAgentIdentifier",
                                      "linkingObjectIdentifier", "linkingObjectIdentifier"])
        #expect(fixity.child("eventType")?.attribute("valueURI") == "http://id.loc.gov/vocabulary/preservation/eventType/fix")
        #expect(fixity.text("eventDateTime") == "2024-05-02T00:00:00.000000Z")
        let failure = try #require(fixity.child("eventOutcomeInformation"))
        #expect(failure.childNames == ["eventOutcome", "eventOutcomeDetail", "eventOutcomeDetail"])
        #expect(failure.text("eventOutcome") == "Failed")
        #expect(failure.child("eventOutcome")?.attribute("valueURI") == "http://id.loc.gov/vocabulary/preservation/eventOutcome/fai")
        #expect(failure.all("eventOutcomeDetail").map { $0.text("eventOutcomeDetailNote") } == ["sha256:bbbb", "Fixity did not match"])
        let objects = fixity.all("linkingObjectIdentifier")
        #expect(objects.map { $0.text("linkingObjectIdentifierType") } == ["registry file identifier", "registry object identifier"])
        #expect(objects.map { $0.text("linkingObjectIdentifierValue") } == ["test.edu/bag1/data/a.txt", "test.edu/bag1"])
    }

    @Test("AUD-24: one agent per distinct agent or object string, in UTF-8 byte order")
    func agents() throws {
        let world = try PremisWorld()
        let agents = try world.document().all("agent")
        #expect(agents.map { $0.text("agentName") } == [
            "APTrust exchange", "Go language crypto/sha256", "Zeta agent", "http://golang.org/pkg/crypto/sha256/",
            "https://github.com/APTrust/exchange", "ärger tool",
        ])
        for agent in agents {
            #expect(agent.childNames == ["agentIdentifier", "agentName", "agentType"])
            #expect(agent.child("agentIdentifier")?.childNames == ["agentIdentifierType", "agentIdentifierValue"])
            #expect(agent.text("agentIdentifier", "agentIdentifierType") == "registry agent")
            #expect(agent.text("agentIdentifier", "agentIdentifierValue") == agent.text("agentName"))
            #expect(agent.text("agentType") == "software")
        }
    }

    @Test("DOM-96a, §7.2: the show rule decides; invisible answers like unknown; member API; numeric id; gzip")
    func visibilityAndAccess() throws {
        let world = try PremisWorld()
        let path = { (object: String) in "/api/v2/objects/\(object)/premis" }
        #expect(try world.get(path("example.org%2Fshared"), as: world.user).status == 200, "another institution's consortia object")
        let hidden = try world.get(path("example.org%2Fprivate"), as: world.user)
        #expect(hidden.status == 404)
        #expect(hidden.message == "object not found: example.org/private")
        #expect(try world.get(path("example.org%2Fnothing"), as: world.user).message == "object not found: example.org/nothing")
        #expect(try world.get(path("test.edu%2Fsecret"), as: world.user).status == 404, "restricted: not for inst users")
        #expect(try world.get(path("test.edu%2Fsecret"), as: world.instAdmin).status == 200)
        #expect(try world.get(path("test.edu"), as: world.admin).status == 404, "an institution names no object")
        #expect(try world.get(path("\(world.objectID)")).status == 200, "numeric id")
        let withQuery = try world.get(path("test.edu%2Fbag1") + "?include_files=true")
        #expect(withQuery.status == 400)
        #expect(withQuery.message == "unknown query parameter: include_files")
        let member = try world.get("/member-api/v2/objects/test.edu%2Fbag1/premis", as: world.user)
        #expect(member.status == 200)
        let plain = try world.get(path("test.edu%2Fbag1"))
        #expect(member.body == plain.body)
        let zipped = try world.get(path("test.edu%2Fbag1"), headers: [("Accept-Encoding", "gzip")])
        #expect(zipped.headers["Content-Encoding"] == "gzip")
        #expect(try zipped.gunzippedBody() == plain.body)
    }

    @Test("AUD-25: an object with 1,200 files: every file with its own checksums and events across file batches")
    func manyFiles() throws {
        let world = try PremisWorld()
        let sql = try world.registry.sql()
        try world.registry.makeObject("test.edu/many")
        try sql.query("""
            INSERT INTO generic_files (identifier, intellectual_object_id, intellectual_object_identifier, institution_id,
                                       file_format, uri, size)
            SELECT 'test.edu/many/data/f' || lpad(g::text, 5, '0'), o.id, o.identifier, o.institution_id, 'text/plain',
                   'https://s3.example/many/' || g, g
            FROM intellectual_objects o, generate_series(1, 1200) g WHERE o.identifier = 'test.edu/many'
            """)
        // Every third file has no checksum, so the merge must skip positions correctly.
        try sql.query("""
            INSERT INTO checksums (generic_file_id, algorithm, datetime, digest)
            SELECT f.id, 'md5', '2024-01-01', md5(f.identifier) FROM generic_files f
            WHERE f.intellectual_object_identifier = 'test.edu/many' AND f.size % 3 <> 0
            """)
        let document = try world.document("test.edu%2Fmany")
        let files = document.all("object").dropFirst()
        #expect(files.count == 1200)
        let rows = try sql.query("""
            SELECT f.identifier, c.digest FROM generic_files f LEFT JOIN checksums c ON c.generic_file_id = f.id
            WHERE f.intellectual_object_identifier = 'test.edu/many' ORDER BY f.identifier
            """)
        var mismatches = 0
        for (file, row) in zip(files, rows) {
            let digests = file.child("objectCharacteristics")?.all("fixity").compactMap { $0.text("messageDigest") } ?? []
            if file.text("objectIdentifier", "objectIdentifierValue") != row[0] || digests != (row[1].map { [$0] } ?? []) {
                mismatches += 1
            }
        }
        #expect(mismatches == 0)
        #expect(document.all("object").first?.all("relationship").count == 1200)
    }
}
