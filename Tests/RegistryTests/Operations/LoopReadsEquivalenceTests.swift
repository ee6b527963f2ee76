import Foundation
import Testing
import TestSupport

/// The hot reads answered on the HTTP event loop (GET object, an object's events, the work-item
/// poll; `Sources/RegistryAPI/LoopReads`) must answer exactly what the worker path answers. Two
/// servers share one database, one with DB_LOOP_READS (the default) and one without; every
/// request goes to both and the answers are compared byte for byte.
@Suite("hot reads on the event loop answer exactly as the worker path")
struct LoopReadsEquivalenceTests {
    @Test("same status, headers and bytes with and without DB_LOOP_READS, for every role and list variant")
    func sameAnswers() throws {
        let world = try ObjectWorld()
        let workersOnly = try TestRegistry.start(environment: ["DB_LOOP_READS": "false"], conninfo: world.registry.conninfo)
        try world.createObject("test.edu/bag", extra: ["etag": "e1"])
        try world.createObject("test.edu/restricted", access: "restricted")
        try world.createObject("other.edu/private")
        try world.registry.appendEvents(TestRegistry.events(5, object: "test.edu/bag"))
        // Enough events that a page of them is over 64 KiB: gzip is then done on a worker.
        try world.createObject("test.edu/large")
        try world.registry.appendEvents(TestRegistry.events(150, object: "test.edu/large",
                                                            detail: String(repeating: "a long detail ", count: 20)))
        try world.registry.appendEvents(TestRegistry.events(2, object: "test.edu/restricted"))
        for (index, status) in ["Pending", "Pending", "Started", "Success"].enumerated() {
            try world.registry.makeWorkItem(TestRegistry.TestWorkItem(name: "bag\(index).tar", status: status))
        }
        try world.registry.makeWorkItem(TestRegistry.TestWorkItem(institution: "other.edu", name: "other.tar"))
        try ObjectShowOnLoopTests.warmUp(world, "/api/v2/objects/test.edu%2Fbag")
        let answeredBefore = try ObjectShowOnLoopTests.loopReads(world).answered

        let paths = [
            "/api/v2/objects/test.edu%2Fbag",
            "/api/v2/objects/test.edu%2Frestricted",
            "/api/v2/events/?object_identifier=test.edu%2Fbag&page=1&per_page=500",
            "/api/v2/events/?object_identifier=test.edu%2Fbag&per_page=2",
            "/api/v2/events/?object_identifier=test.edu%2Fbag&per_page=2&page=3",
            "/api/v2/events/?object_identifier=test.edu%2Fbag&per_page=2&page=9",
            "/api/v2/events/?intellectual_object_identifier=test.edu%2Fbag&count=false&outcome=Success",
            "/api/v2/events/?object_identifier=test.edu%2Frestricted",
            "/api/v2/events/?object_identifier=other.edu%2Fprivate",
            "/api/v2/events/?object_identifier=test.edu%2Fnone",
            "/api/v2/events/?object_identifier=test.edu%2Flarge&per_page=500",
            "/api/v2/events/?object_identifier=test.edu%2Flarge&per_page=501",
            "/api/v2/events/?object_identifier=test.edu%2Fbag&sort=date_time",
            "/api/v2/items/?name_like=bag",
            "/api/v2/events/?object_identifier=test.edu%2Fbag&bogus=1",
            "/api/v2/items/?node_empty=true&page=1&per_page=100&queued=false&retry=true&status=Pending",
            "/api/v2/items/?per_page=1&page=2",
            "/api/v2/items/?per_page=2&page=7",
            "/api/v2/items/?status=Bogus",
        ]
        for caller in [world.admin, world.instAdmin, world.instUser, world.otherAdmin] {
            for path in paths {
                let onLoop = try world.registry.client().request(method: "GET", path: path, headers: caller.headers)
                let byWorker = try workersOnly.client().request(method: "GET", path: path, headers: caller.headers)
                #expect(onLoop.status == byWorker.status, "\(caller.email) \(path)")
                // Links name the server they came from; nothing else may differ.
                let loopText = onLoop.text.replacingOccurrences(of: ":\(world.registry.port)", with: ":PORT")
                let workerText = byWorker.text.replacingOccurrences(of: ":\(workersOnly.port)", with: ":PORT")
                #expect(loopText == workerText, "\(caller.email) \(path)")
                for header in ["Content-Type", "Cache-Control", "Allow"] {
                    #expect(onLoop.headers[header] == byWorker.headers[header], "\(caller.email) \(path) \(header)")
                }
                // The Go workers always accept gzip (OPS-60).
                let gzip = [("Accept-Encoding", "gzip")]
                let zippedOnLoop = try world.registry.client().request(method: "GET", path: path, headers: caller.headers + gzip)
                let zippedByWorker = try workersOnly.client().request(method: "GET", path: path, headers: caller.headers + gzip)
                #expect(zippedOnLoop.headers["Content-Encoding"] == zippedByWorker.headers["Content-Encoding"], "\(path)")
                if zippedOnLoop.headers["Content-Encoding"] == "gzip" {
                    let loopBody = String(decoding: try zippedOnLoop.gunzippedBody(), as: UTF8.self)
                        .replacingOccurrences(of: ":\(world.registry.port)", with: ":PORT")
                    #expect(loopBody == workerText, "gzip \(caller.email) \(path)")
                }
            }
        }
        // Most of those were answered on the loops (the rest were handed back, as they must be).
        let answered = try ObjectShowOnLoopTests.loopReads(world).answered - answeredBefore
        #expect(answered >= 20, "answered on the loop: \(answered)")
        #expect(try ObjectShowOnLoopTests.loopReads(world).answered > 0)
    }
}
