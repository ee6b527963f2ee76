import Formats
import Postgres

/// Work items: a finished Ingest item for most ingested objects, and the queue of new bags the
/// workers poll (section 8.2 step 2): Pending items not yet queued (most with `retry = true`, the
/// poller's target), Started ones held by a worker node, and Failed ones.
struct WorkItemRows {
    let institutionIDs: [Int64]

    private static let columns = [
        "name", "etag", "bag_date", "bucket", "\"user\"", "institution_id", "date", "note", "outcome", "action", "stage",
        "status", "retry", "needs_admin_review", "object_identifier", "intellectual_object_id", "node", "pid",
        "queued_at", "stage_started_at", "size", "created_at", "updated_at",
    ]

    /// What varies between the kinds of items.
    private struct Item {
        let name: String
        let institutionIndex: Int
        let date: Timestamp
        let note: String
        let stage: String
        let status: String
        let retry: Bool
        let needsAdminReview: Bool
        let object: ObjectShape?
        let node: String?
        let queuedAt: Timestamp?
        let size: Int64
    }

    static var finishedIngests: Int {
        DatasetPlan.workItems - DatasetPlan.pendingQueueItems - DatasetPlan.startedItems - DatasetPlan.failedItems
    }

    func copyWorkItems(on connection: PGConnection) throws -> Int {
        try CopyRowBuffer.copy("work_items", Self.columns, on: connection) { rows in
            for index in 0..<Self.finishedIngests {
                let object = ObjectShape(index)
                try write(Item(name: object.bagName + ".tar", institutionIndex: object.institutionIndex,
                               date: object.at(seconds: 60), note: "Finished cleanup. Ingest complete.", stage: "Cleanup",
                               status: "Success", retry: true, needsAdminReview: false, object: object,
                               node: "10.0.1.\(index % 8)", queuedAt: object.at(seconds: -590), size: object.totalSize),
                          seed: index, into: &rows)
            }
            // New bags after the last ingested object: Started, Failed, then the Pending queue.
            let queueStart = DatasetPlan.ingestTime(ofObject: DatasetPlan.ingestedObjects)
            let kinds: [(count: Int, stage: String, status: String)] = [
                (DatasetPlan.startedItems, "Store", "Started"), (DatasetPlan.failedItems, "Validate", "Failed"),
                (DatasetPlan.pendingQueueItems, "Receive", "Pending"),
            ]
            var number = 0
            for kind in kinds {
                for position in 0..<kind.count {
                    number += 1
                    let date = Timestamp(microseconds: queueStart.microseconds + Int64(number) * 60_000_000)
                    let pending = kind.status == "Pending"
                    try write(Item(
                        name: "newbag-\(ObjectShape.padded(number, 5)).tar",
                        institutionIndex: DatasetPlan.institutionIndex(ofObject: number), date: date,
                        note: pending ? "Item is in receiving bucket" : kind.status == "Failed"
                            ? "Bag is invalid: payload manifest missing" : "Storing files",
                        stage: kind.stage, status: kind.status,
                        retry: !(pending && position < DatasetPlan.pendingWithoutRetry) && kind.status != "Failed",
                        needsAdminReview: kind.status == "Failed" && position % 5 == 0, object: nil,
                        node: kind.status == "Started" ? "10.0.1.\(number % 8)" : nil,
                        queuedAt: pending ? nil : date, size: Int64(1 << 20) * Int64(1 + number % 500)),
                        seed: DatasetPlan.ingestedObjects + number, into: &rows)
                }
            }
        }
    }

    private func write(_ item: Item, seed: Int, into rows: inout CopyRowBuffer) throws {
        var random = DeterministicRandom(seed: seed, stream: 5)
        let institution = DatasetPlan.institutions[item.institutionIndex].identifier
        let created = item.object?.at(seconds: -600) ?? item.date
        rows.text(item.name)
        rows.text(random.hexDigits(32))
        rows.timestamp(Timestamp(microseconds: created.microseconds - 86_400_000_000))
        rows.text("aptrust.receiving." + institution)
        rows.text("uploader@" + institution)
        rows.int(institutionIDs[item.institutionIndex])
        rows.timestamp(item.date)
        rows.text(item.note)
        rows.text(item.status == "Success" ? "Ingest complete" : item.note)
        rows.text("Ingest")
        rows.text(item.stage)
        rows.text(item.status)
        rows.bool(item.retry)
        rows.bool(item.needsAdminReview)
        rows.optionalText(item.object?.identifier)
        if let object = item.object { rows.int(object.id) } else { rows.null() }
        rows.optionalText(item.node)
        rows.int(item.node == nil ? 0 : 4000 + Int64(seed % 1000))
        if let queuedAt = item.queuedAt { rows.timestamp(queuedAt) } else { rows.null() }
        if item.status == "Pending" { rows.null() } else { rows.timestamp(item.date) }
        rows.int(item.size)
        rows.timestamp(created)
        rows.timestamp(item.date)
        try rows.endRow()
    }
}
