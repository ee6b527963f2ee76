import Foundation
import Testing
import TestSupport

/// The delete worker of domain.md DOM-123, call by call as the Go worker makes them: per Delete item
/// `PUT` Started; a file `deletion` event; `GET files/finish_delete/{file}`; the
/// `files?intellectual_object_identifier=&state=A&per_page=2` check and, when it is empty,
/// `GET objects/{obj}/finish_delete`; `PUT` Resolve/Success.
struct DeleteWorker {
    let world: WorkflowWorld
    /// The worker's service account.
    var caller: TestRegistry.Credentials { world.admin }

    /// The Delete items of a request, in id order.
    func items(request id: Int64) throws -> [Int] {
        try world.rows("SELECT id FROM work_items WHERE deletion_request_id = $1::bigint ORDER BY id", [String(id)])
            .compactMap { $0[0].flatMap { Int($0) } }
    }

    /// Works one item; returns whether it finished the object too.
    @discardableResult
    func work(item id: Int) throws -> Bool {
        var item = try world.sendAsWorker("GET", "/api/v2/items/\(id)/", as: caller).jsonObject()
        item["status"] = "Started"
        item["node"] = "delete-worker-1"
        item["pid"] = 4242
        item = try put(id, item)
        let file = try #require(item["generic_file_identifier"] as? String)
        let object = try #require(item["object_identifier"] as? String)

        let event: [String: Any] = [
            "identifier": UUID().uuidString.lowercased(), "event_type": "deletion",
            "date_time": ISO8601DateFormatter().string(from: Date()), "detail": "File deleted from preservation storage",
            "outcome": "Success", "outcome_detail": item["user"] as? String ?? "",
            "outcome_information": "File deleted at the request of \(item["user"] as? String ?? ""). "
                + "Institutional approver: \(item["inst_approver"] as? String ?? "").",
            "object": "Go language AWS SDK", "agent": "https://github.com/aws/aws-sdk-go",
            "intellectual_object_identifier": object, "generic_file_identifier": file,
        ]
        let posted = try world.sendAsWorker("POST", "/api/v2/events/", as: caller, json: event)
        try #require(posted.status == 201, "POST events: \(posted.status) \(posted.text)")
        let finished = try world.sendAsWorker("GET", "/api/v2/files/finish_delete/\(WorkflowWorld.encode(file))/", as: caller)
        try #require(finished.status == 204, "files/finish_delete: \(finished.status) \(finished.text)")

        let remaining = try world.sendAsWorker(
            "GET", "/api/v2/files/?intellectual_object_identifier=\(WorkflowWorld.encode(object))&state=A&page=1&per_page=2",
            as: caller)
        try #require(remaining.status == 200)
        var objectFinished = false
        if try remaining.jsonObject()["count"] as? Int == 0 {
            let done = try world.sendAsWorker("GET", "/api/v2/objects/\(WorkflowWorld.encode(object))/finish_delete", as: caller)
            try #require(done.status == 204, "objects/finish_delete: \(done.status) \(done.text)")
            objectFinished = true
        }
        item["stage"] = "Resolve"
        item["status"] = "Success"
        item["note"] = "Deleted file from all preservation storage"
        item["node"] = ""
        item["pid"] = 0
        _ = try put(id, item)
        return objectFinished
    }

    private func put(_ id: Int, _ item: [String: Any]) throws -> [String: Any] {
        let response = try world.sendAsWorker("PUT", "/api/v2/items/\(id)/", as: caller, json: item)
        try #require(response.status == 200, "PUT items: \(response.status) \(response.text)")
        return try response.jsonObject()
    }
}
