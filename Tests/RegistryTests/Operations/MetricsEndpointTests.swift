import Foundation
import Testing
import TestSupport

/// operations.md OPS-37: `/metrics` in the Prometheus text format with every family the spec lists;
/// with `METRICS_TOKEN` set, only a matching bearer token reads it.
@Suite("OPS-37: /metrics")
struct MetricsEndpointTests {
    static let requiredFamilies = [
        "registry_http_requests_total", "registry_http_request_duration_seconds", "registry_http_requests_in_flight",
        "registry_http_connections_open", "registry_http_connections_rejected_total", "registry_db_pool_connections",
        "registry_db_pool_wait_seconds", "registry_db_unavailable_total", "registry_events_created_total",
        "registry_idempotent_replays_total", "registry_api_auth_failures_total", "registry_notifications_pending",
        "registry_build_info", "process_start_time_seconds", "process_resident_memory_bytes",
    ]

    @Test("every listed family has its # TYPE line; the media type is text/plain; version=0.0.4")
    func everyFamily() throws {
        let launched = Date().timeIntervalSince1970
        let registry = try TestRegistry.start()
        let ready = Date().timeIntervalSince1970
        Thread.sleep(forTimeInterval: 1.5)  // a start time taken at the first scrape would show it
        let client = try registry.client()
        // One API request first, so the per-request families have a sample. It is counted once its
        // response is written, which may be just after the client has read it: scrape until it shows.
        _ = try client.request(method: "GET", path: "/api/v2/institutions")
        let counted = #"registry_http_requests_total{method="GET",route="/api/v2/institutions",status="401"} 1"#
        var metrics = try client.request(method: "GET", path: "/metrics")
        for _ in 0..<50 where !metrics.text.contains(counted) {
            Thread.sleep(forTimeInterval: 0.05)
            metrics = try client.request(method: "GET", path: "/metrics")
        }
        #expect(metrics.status == 200)
        #expect(metrics.headers["Content-Type"] == "text/plain; version=0.0.4")
        for family in Self.requiredFamilies {
            #expect(metrics.text.contains("\n# TYPE \(family) ") || metrics.text.hasPrefix("# TYPE \(family) "),
                    "no # TYPE line for \(family)")
        }
        #expect(metrics.text.contains("registry_http_request_duration_seconds_bucket{"), "a histogram has buckets")
        #expect(metrics.text.contains(counted), "the unauthenticated request is counted with its route template")
        // The replay counter's series exist before the first replay (a fresh server has had none).
        for resource in ["checksum", "event", "generic_file", "object"] {
            #expect(metrics.text.contains("registry_idempotent_replays_total{resource=\"\(resource)\"} 0\n"), "\(resource)")
        }
        // process_start_time_seconds is the process's start (clock ticks: 10 ms), not the first scrape's.
        let startLine = metrics.text.split(separator: "\n").first { $0.hasPrefix("process_start_time_seconds ") }
        let started = try #require(startLine.flatMap { Double($0.split(separator: " ")[1]) })
        #expect(started >= launched - 1 && started <= ready + 0.1, "\(launched) ≤ \(started) ≤ \(ready)")
    }

    @Test("OPS-37/OPS-67: with DATABASE_READ_URL the replica's pool is reported beside the primary's")
    func replicaPool() throws {
        let conninfo = try TestPostgres.freshDatabase(prefix: "reg")
        let registry = try TestRegistry.start(environment: ["DATABASE_READ_URL": TestRegistry.url(fromConninfo: conninfo)],
                                              conninfo: conninfo)
        let text = try registry.client().request(method: "GET", path: "/metrics").text
        for pool in ["primary", "replica"] {
            #expect(text.contains(#"registry_db_pool_connections{pool="\#(pool)",state="idle"} "#), "\(pool)")
            #expect(text.contains(#"registry_db_pool_wait_seconds_count{pool="\#(pool)"} "#), "\(pool)")
        }
    }

    @Test("OPS-38: labels are route templates (as the spec writes them) and known methods; never a raw path or token")
    func boundedLabels() throws {
        let registry = try TestRegistry.start()
        let client = try registry.client()
        _ = try client.request(method: "GET", path: "/api/v2/objects/test.edu%2Fsome%20bag")
        _ = try client.request(method: "BREW", path: "/api/v2/objects/test.edu%2Fsome%20bag")
        _ = try client.request(method: "GET", path: "/api/v2/events/0f9e4b4e-2f83-4d3f-9c43-5b7c1f0c1a2b")
        // One §9 row, one label, however the identifier was escaped (API-6's fallback included);
        // an endpoint serving several rows by the identifier's kind is labelled by the kind's row.
        _ = try client.request(method: "GET", path: "/api/v2/objects/test.edu/some%20bag")
        _ = try client.request(method: "GET", path: "/api/v2/events/test.edu")
        _ = try client.request(method: "GET", path: "/api/v2/files/test.edu/bag/data/some%20file.txt")
        let wanted = [#"registry_http_requests_total{method="GET",route="/api/v2/objects/{obj}",status="401"} 2"#,
                      #"registry_http_requests_total{method="GET",route="/api/v2/events/{uuid}",status="401"} 1"#,
                      #"registry_http_requests_total{method="GET",route="/api/v2/events/{inst}",status="401"} 1"#,
                      #"registry_http_requests_total{method="GET",route="/api/v2/files/{file}",status="401"} 1"#,
                      #"registry_http_requests_total{method="other",route="unmatched",status="501"} 1"#]
        var text = try client.request(method: "GET", path: "/metrics").text
        for _ in 0..<50 where !wanted.allSatisfy(text.contains) {
            Thread.sleep(forTimeInterval: 0.05)
            text = try client.request(method: "GET", path: "/metrics").text
        }
        for line in wanted { #expect(text.contains(line), "\(line)") }
        #expect(!text.contains("some bag") && !text.contains("BREW") && !text.contains("0f9e4b4e") && !text.contains("{rest"))
    }

    @Test("OPS-38: a refusal of the HTTP layer after routing (413, the 100-continue check) is counted under the route")
    func refusalsKeepTheirRoute() throws {
        let registry = try TestRegistry.start(environment: ["MAX_BODY_BYTES": "1024"])
        let tooLarge = try registry.client()
        try tooLarge.send("POST /api/v2/items HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"
                          + "Content-Length: 5000\r\n\r\n")
        #expect(try tooLarge.readResponse().status == 413)
        let unauthorized = try registry.client()
        try unauthorized.send("PUT /api/v2/objects/test.edu%2Fbag HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"
                              + "Content-Length: 10\r\nExpect: 100-continue\r\n\r\n")
        #expect(try unauthorized.readResponse().status == 401)
        let wanted = [#"registry_http_requests_total{method="POST",route="/api/v2/items",status="413"} 1"#,
                      #"registry_http_requests_total{method="PUT",route="/api/v2/objects/{obj}",status="401"} 1"#]
        let client = try registry.client()
        var text = try client.request(method: "GET", path: "/metrics").text
        for _ in 0..<50 where !wanted.allSatisfy(text.contains) {
            Thread.sleep(forTimeInterval: 0.05)
            text = try client.request(method: "GET", path: "/metrics").text
        }
        for line in wanted { #expect(text.contains(line), "\(line)") }
        #expect(!text.contains(#"route="unmatched",status="413""#))
    }

    @Test("METRICS_TOKEN: 401 without the bearer token or with a wrong one, 200 with it")
    func token() throws {
        let registry = try TestRegistry.start(environment: ["METRICS_TOKEN": "scrape-secret-123"])
        let client = try registry.client()
        #expect(try client.request(method: "GET", path: "/metrics").status == 401)
        #expect(try client.request(method: "GET", path: "/metrics",
                                   headers: [("Authorization", "Bearer scrape-secret-124")]).status == 401)
        let allowed = try client.request(method: "GET", path: "/metrics", headers: [("Authorization", "Bearer scrape-secret-123")])
        #expect(allowed.status == 200)
        #expect(allowed.text.contains("# TYPE registry_build_info gauge"))
        // The scheme name is case-insensitive (RFC 9110 §11.1); anything else is refused.
        #expect(try client.request(method: "GET", path: "/metrics",
                                   headers: [("Authorization", "bearer scrape-secret-123")]).status == 200)
        for refused in ["Bearer", "Bearer ", "Basic scrape-secret-123", "scrape-secret-123", "Bearer  scrape-secret-123"] {
            #expect(try client.request(method: "GET", path: "/metrics", headers: [("Authorization", refused)]).status == 401,
                    "\(refused)")
        }
    }
}
