import Formats
import HTTPServer
import RegistryCore
import Routing

/// The list envelope `{"count", "next", "previous", "results"}` (api-v2.md API-40..43), written
/// straight into bytes: start it, write each result with `writer`, then `finish()`.
public struct ListEnvelope {
    public var writer = JSONWriter(capacity: 4096)

    /// `count` nil when not counted (API-44); `hasMore` from reading `per_page + 1` rows (API-43).
    public init(call: APICall, parameters: ListParameters, count: Int?, hasMore: Bool) {
        writer.beginObject()
        writer.key("count")
        if let count { writer.int(count) } else { writer.null() }
        writer.key("next")
        if hasMore {
            writer.string(Self.link(call: call, page: String(parameters.page + 1), perPage: parameters.perPage))
        } else {
            writer.null()
        }
        writer.key("previous")
        if let previousPage = parameters.previousPage {
            writer.string(Self.link(call: call, page: previousPage, perPage: parameters.perPage))
        } else {
            writer.null()
        }
        writer.key("results")
        writer.beginArray()
    }

    public mutating func finish() -> HTTPResponse {
        writer.endArray()
        writer.endObject()
        return APIResponse.json(200, writer.bytes)
    }

    /// API-42: base + raw path + every parameter except `page`/`per_page` in original order and raw
    /// encoding, then `page=<n>&per_page=<per_page>`.
    public static func link(call: APICall, page: String, perPage: Int) -> String {
        var link = call.baseURL + String(call.request.head.path) + "?"
        if let query = try? call.query {
            let kept = query.rawQuery(excluding: ["page", "per_page"])
            if !kept.isEmpty { link += kept + "&" }
        }
        return link + "page=\(page)&per_page=\(perPage)"
    }
}
