import Foundation
import Testing
import TestSupport

/// `GET /events/export` output, byte for byte (auditor.md AUD-10..12, AUD-16).
@Suite("Exports: CSV and NDJSON format")
struct EventExportFormatTests {
    @Test("AUD-11: CSV headers, header row, CRLF, quoting, nulls, non-ASCII and control characters, byte-exact")
    func csvIsByteExact() throws {
        let world = try ExportWorld()
        let response = try world.get("/api/v2/events/export/?format=csv&institution=test.edu")
        #expect(response.status == 200)
        #expect(response.headers["Content-Type"] == "text/csv; charset=utf-8")
        let disposition = try #require(response.headers["Content-Disposition"])
        #expect(disposition.wholeMatch(of: /attachment; filename="events-\d{8}T\d{6}Z\.csv"/) != nil, "\(disposition)")
        #expect(response.headers["Transfer-Encoding"] == "chunked", "streamed (AUD-13)")
        #expect(response.chunkedComplete == true)
        let expected = ReferenceCSV.header + (try ReferenceCSV.rows(world.registry, where: "i.identifier = 'test.edu'"))
        #expect(response.text == expected)
        #expect(response.body == Array(expected.utf8), "byte-exact, UTF-8 without BOM")

        // The tricky fields exactly as RFC 4180 wants them (independent of the reference writer).
        #expect(response.text.contains(",\"Fixity \"\"check\"\", café\r\nsecond line\","))
        #expect(response.text.contains(",\"sha256:abc,def\",Fixity did not match,"))
        #expect(response.text.contains(",=SUM(A1:A2),,tab\there\u{1}Ünïcödé ✓ 日本,"), "no quoting, no neutralizing")
        // Object-level events: empty generic_file_identifier; a null outcome_information is empty.
        let created = try #require(world.events["created"])
        #expect(response.text.contains("\r\n\(created),test.edu,test.edu/bag,,creation,2024-05-01T13:02:03.123456Z,Success,ok,,"))
        #expect(response.text.hasPrefix("identifier,institution,"), "no BOM")
    }

    @Test("AUD-12: NDJSON lines are exactly the event representation, each ended by LF")
    func ndjsonLinesAreRepresentations() throws {
        let world = try ExportWorld()
        let response = try world.get("/api/v2/events/export?format=ndjson&institution=test.edu")
        #expect(response.status == 200)
        #expect(response.headers["Content-Type"] == "application/x-ndjson")
        #expect(response.chunkedComplete == true)
        let lines = try ExportWorld.lines(response.body)
        #expect(try world.labels(ndjson: response.body) == ["created", "fixity", "control", "secret", "open"],
                "sequence order (the default sort, AUD-10)")
        for line in lines {
            let identifier = try #require((try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])?["identifier"] as? String)
            let show = try world.get("/api/v2/events/\(identifier)")
            #expect(show.status == 200)
            #expect(Array(line.utf8) == show.body, "line equals GET /events/{uuid}")
        }
        // JSON escaping (API-33): control characters escaped, non-ASCII and `/` literal.
        #expect(response.text.contains(#""detail":"Fixity \"check\", café\r\nsecond line","#))
        #expect(response.text.contains(#""detail":"tab\there\u0001Ünïcödé ✓ 日本","#))
        #expect(response.text.contains(#""agent":"http://golang.org/pkg/crypto/sha256/""#))
        // AUD-55: every canonical member plus the hashes is on each line.
        let first = try #require(try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any])
        for member in ["agent", "created_at", "date_time", "detail", "event_type", "generic_file_identifier", "identifier",
                       "institution", "intellectual_object_identifier", "object", "outcome", "outcome_detail",
                       "outcome_information", "sequence", "entry_hash", "chain_hash"] {
            #expect(first.keys.contains(member), "\(member)")
        }
    }

    @Test("AUD-10, AUD-3: default sort sequence orders by institution identifier then sequence; other sorts apply")
    func sortOrders() throws {
        let world = try ExportWorld()
        let all = try world.get("/api/v2/events/export?format=ndjson")
        #expect(try world.labels(ndjson: all.body)
            == ["shared", "shared-file", "private", "created", "fixity", "control", "secret", "open"])
        let csv = try world.get("/api/v2/events/export?format=csv")
        #expect(csv.text == ReferenceCSV.header + (try ReferenceCSV.rows(world.registry)))
        let byDate = try world.get("/api/v2/events/export?format=ndjson&institution=test.edu&sort=date_asc")
        // Equal date_time values (created, secret, open) fall back to id (API-46).
        #expect(try world.labels(ndjson: byDate.body) == ["control", "created", "secret", "open", "fixity"])
        let dates = try ExportWorld.lines(byDate.body).map { line in
            ((try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])?["date_time"] as? String) ?? ""
        }
        #expect(dates == dates.sorted(), "date_asc")
        let newestFirst = try world.get("/api/v2/events/export?format=ndjson&institution=test.edu&sort=date")
        #expect(try world.labels(ndjson: newestFirst.body) == (try world.labels(ndjson: byDate.body)).reversed())
    }

    @Test("AUD-10: format required and checked; page, per_page and count refused; filters validated")
    func parameterErrors() throws {
        let world = try ExportWorld()
        let cases: [(query: String, message: String)] = [
            ("", "format is required: csv or ndjson"),
            ("format=", "format is required: csv or ndjson"),
            ("format=xml", "invalid value for format: xml (csv or ndjson)"),
            ("format=csv&page=1", "page does not apply to exports: every matching event is exported"),
            ("format=csv&per_page=100", "per_page does not apply to exports: every matching event is exported"),
            ("format=ndjson&count=false", "count does not apply to exports: every matching event is exported"),
            ("format=csv&format=ndjson", "parameter may not repeat: format"),
            ("format=csv&colour=red", "unknown query parameter: colour"),
            ("format=csv&sort=size", "invalid sort: size"),
            ("format=csv&event_type=Fixity+Check", "invalid value for event_type: Fixity Check"),
            ("format=csv&sequence_min=3", "sequence_min and sequence_max need exactly one institution"),
            ("format=csv&date_time_after=yesterday", "invalid date for date_time_after: yesterday"),
        ]
        for (query, message) in cases {
            let response = try world.get("/api/v2/events/export?\(query)")
            #expect(response.status == 400, "\(query)")
            #expect(response.message == message, "\(query): \(response.text)")
            #expect(response.headers["Content-Type"] == "application/json; charset=utf-8")
        }
        // API-82: the literal segment wins over `/events/{uuid}`; other methods are 405 (API-7).
        let post = try world.registry.client().request(method: "POST", path: "/api/v2/events/export?format=csv",
                                                       headers: world.admin.headers)
        #expect(post.status == 405)
        let anonymous = try world.registry.client().request(method: "GET", path: "/api/v2/events/export?format=csv")
        #expect(anonymous.status == 401)
    }

    @Test("AUD-1 filters apply to the export as to the list")
    func filters() throws {
        let world = try ExportWorld()
        let cases: [(query: String, labels: [String])] = [
            ("object_identifier=test.edu%2Fbag", ["created", "fixity", "control"]),
            ("object_identifier=test.edu%2Fbag&object_level=true", ["created", "control"]),
            ("file_identifier=test.edu%2Fbag%2Fdata%2Fa%20b.txt", ["fixity"]),
            ("event_type=fixity+check", ["shared-file", "fixity"]),
            ("outcome=Failure", ["fixity"]),
            ("institution=test.edu&sequence_min=2&sequence_max=3", ["fixity", "control"]),
            ("institution=example.org&institution=test.edu&event_type=creation", ["shared", "private", "created", "secret", "open"]),
            ("date_time_after=2024-05-01T13:04:00Z&date_time_before=2024-05-01T13:05:00Z", ["fixity"]),
            ("agent=http%3A%2F%2Fgolang.org%2Fpkg%2Fcrypto%2Fsha256%2F", ["fixity"]),
        ]
        for (query, labels) in cases {
            let response = try world.get("/api/v2/events/export?format=ndjson&\(query)")
            #expect(response.status == 200, "\(query): \(response.text)")
            #expect(try world.labels(ndjson: response.body) == labels, "\(query)")
            // The list with the same filters agrees (sorted by sequence as the export is).
            let list = try world.get("/api/v2/events?\(query)&sort=sequence&per_page=100")
            let listed = try list.results().compactMap { $0["identifier"] as? String }
            let exported = try ExportWorld.lines(response.body).compactMap {
                (try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])?["identifier"] as? String
            }
            #expect(listed == exported, "\(query): list and export agree")
        }
    }

    @Test("AUD-16, OPS-60: gzip when accepted, compressed as a stream; the content is unchanged")
    func gzip() throws {
        let world = try ExportWorld()
        for format in ["csv", "ndjson"] {
            let plain = try world.get("/api/v2/events/export?format=\(format)")
            let zipped = try world.get("/api/v2/events/export?format=\(format)", headers: [("Accept-Encoding", "gzip")])
            #expect(zipped.status == 200)
            #expect(zipped.headers["Content-Encoding"] == "gzip")
            #expect(zipped.headers["Vary"] == "Accept-Encoding")
            #expect(zipped.headers["Transfer-Encoding"] == "chunked")
            #expect(try zipped.gunzippedBody() == plain.body, "\(format)")
        }
    }

    @Test("AUD-55: the HTTP export alone lets the independent verifier check every chain")
    func independentVerifierChecksTheExport() throws {
        let world = try ExportWorld()
        let export = try world.get("/api/v2/events/export?format=ndjson&sort=sequence")
        #expect(export.body == (try IndependentVerifier.export(world.registry)), "same bytes as the stored rows")
        let result = try IndependentVerifier.run(file: export.body)
        #expect(result.status == 0, "\(result.stdout) \(result.stderr)")
        #expect(result.stdout == "OK example.org 3\nOK test.edu 5\n")
        let one = try world.get("/api/v2/events/export?format=ndjson&institution=test.edu&sort=sequence")
        #expect(try IndependentVerifier.run(file: one.body).stdout == "OK test.edu 5\n")
    }
}
