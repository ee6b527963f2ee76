import Formats
import HTTPServer

/// Responses in the API's shapes (api-v2.md API-30, API-50).
public enum APIResponse {
    public static let jsonContentType = "application/json; charset=utf-8"

    /// A JSON body already written; API-30 headers added.
    public static func json(_ status: Int, _ body: [UInt8], headers extra: HTTPHeaders = HTTPHeaders()) -> HTTPResponse {
        var headers = HTTPHeaders(["Content-Type": jsonContentType, "Cache-Control": "no-store"])
        for field in extra { headers.add(field.name, field.value) }
        return HTTPResponse(status: status, headers: headers, body: .bytes(body))
    }

    /// `{"status":"error","message":…}` plus `errors` on 422 (API-50).
    public static func error(_ status: Int, _ message: String, fieldErrors: [(field: String, messages: [String])] = [],
                             headers extra: HTTPHeaders = HTTPHeaders()) -> HTTPResponse {
        var writer = JSONWriter(capacity: 128 + message.utf8.count)
        writer.beginObject()
        writer.field("status", "error")
        writer.field("message", message)
        if status == 422 {
            writer.key("errors")
            writer.beginObject()
            for (field, messages) in fieldErrors {
                writer.key(field)
                writer.beginArray()
                for text in messages { writer.string(text) }
                writer.endArray()
            }
            writer.endObject()
        }
        writer.endObject()
        return json(status, writer.bytes, headers: extra)
    }

    /// Paths under these prefixes get JSON error bodies (OPS-58); elsewhere plain text.
    public static func isAPIPath(_ rawPath: Substring) -> Bool {
        rawPath.hasPrefix("/api/") || rawPath.hasPrefix("/member-api/")
    }
}
