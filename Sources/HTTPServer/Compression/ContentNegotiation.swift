/// OPS-60: when a response is gzip-encoded.
enum ContentNegotiation {
    /// Media types worth compressing (JSON, NDJSON, CSV, XML, HTML, CSS, plain text).
    static func isCompressible(contentType: String?) -> Bool {
        guard let contentType else { return false }
        let mediaType = contentType.split(separator: ";", maxSplits: 1).first.map { $0.trimmingASCIIWhitespace().lowercased() } ?? ""
        switch mediaType {
        case "application/json", "application/x-ndjson", "text/csv", "application/xml", "text/xml",
             "text/html", "text/css", "text/plain":
            return true
        default:
            return false
        }
    }

    /// True when `Accept-Encoding` lists `gzip` (or its old name `x-gzip`) with q > 0 (OPS-60:
    /// "lists gzip"; a bare `*` does not, so it gets the identity encoding, which `*` allows too).
    static func acceptsGzip(_ headers: HTTPHeaders) -> Bool {
        var gzipQuality: Double?
        for value in headers.values("Accept-Encoding") {
            for element in value.split(separator: ",") {
                let parts = element.split(separator: ";")
                guard let coding = parts.first?.trimmingASCIIWhitespace().lowercased(), !coding.isEmpty else { continue }
                var quality = 1.0
                for parameter in parts.dropFirst() {
                    let pair = parameter.split(separator: "=", maxSplits: 1).map { $0.trimmingASCIIWhitespace().lowercased() }
                    if pair.count == 2, pair[0] == "q" { quality = Double(pair[1]) ?? 0 }
                }
                if coding == "gzip" || coding == "x-gzip" { gzipQuality = max(gzipQuality ?? 0, quality) }
            }
        }
        return (gzipQuality ?? 0) > 0
    }
}
