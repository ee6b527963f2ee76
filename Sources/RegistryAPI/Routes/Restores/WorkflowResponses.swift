import Formats
import HTTPServer
import RegistryCore

/// What the workflow routes (restores, deletions) share: the store context of a request and the
/// shapes of their answers.
extension APICall {
    /// The caller, the audit origin, the link base of notifications (DOM-141b, as API-42) and the
    /// agent of server-written events (DOM-125).
    var workflowContext: WorkflowContext {
        WorkflowContext(caller: caller, origin: origin, baseURL: baseURL, serverAgent: settings.serverAgent,
                        metrics: services.metrics, answersWithRedirect: false)
    }

    /// API-21 / DOM-96b step 4 on an action route whose body carries nothing the action uses: an
    /// empty body is fine; a present one must still be a JSON object of an accepted content type
    /// (400 / 415). Returns the record, if any.
    @discardableResult
    func checkedOptionalBody() throws(RegistryError) -> JSONObject? {
        try recordBody(wrapper: nil)
    }
}

enum WorkflowResponses {
    /// 204 with no body (api-v2.md API-51), optionally with `Location` (API-115, DOM-130).
    static func noContent(location: String? = nil) -> HTTPResponse {
        var headers = HTTPHeaders(["Cache-Control": "no-store"])
        if let location { headers.add("Location", location) }
        return HTTPResponse(status: 204, headers: headers)
    }

    /// `{"status":"ok","message":…}` plus `work_item_id` when given (API-110, API-116).
    static func ok(_ message: String, workItemID: Int64? = nil, headers: HTTPHeaders = HTTPHeaders()) -> HTTPResponse {
        var writer = JSONWriter(capacity: 128)
        writer.beginObject()
        writer.field("status", "ok")
        writer.field("message", message)
        if let workItemID { writer.field("work_item_id", workItemID) }
        writer.endObject()
        return APIResponse.json(200, writer.bytes, headers: headers)
    }
}
