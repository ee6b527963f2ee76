import Formats

/// Subjects and header lines of the trigger notifications (domain.md DOM-141b). The item lines
/// follow the header after one empty line (`NotificationOutbox.body`).
public enum TriggerMessages {
    /// `multiple_fixity`: `Failed fixity checks for <institution>: <n>`.
    public static func failedFixitySubject(institution: String, count: Int) -> String {
        "Failed fixity checks for \(institution): \(count)"
    }

    /// `multiple_restoration`: `Restorations completed for <institution>: <n>`.
    public static func restorationSubject(institution: String, count: Int) -> String {
        "Restorations completed for \(institution): \(count)"
    }

    /// `restoration_spot_test`: `Restoration spot test for <institution>: work item <id>`.
    public static func spotTestSubject(institution: String, workItemID: Int64) -> String {
        "Restoration spot test for \(institution): work item \(workItemID)"
    }

    /// `deletion_notifications`: `Deletions completed for <institution>: <n>`.
    public static func deletionsSubject(institution: String, count: Int) -> String {
        "Deletions completed for \(institution): \(count)"
    }

    /// Header lines: the subject, then one line saying what the item lines are.
    public static func failedFixityHeader(subject: String) -> [String] {
        [subject, "Each line below names a file (or object) whose fixity check failed and links to that event."]
    }

    public static func restorationHeader(subject: String) -> [String] {
        [subject, "Each line below names a restored file, object or bag and links to its work item."]
    }

    public static func spotTestHeader(subject: String) -> [String] {
        [subject, "The restoration below completed as a spot test; please check the restored copy."]
    }

    public static func deletionsHeader(subject: String) -> [String] {
        [subject, "Each line below names a deleted file and links to its work item; deletions.csv lists the same deletions."]
    }
}

/// The `deletions.csv` attachment of `deletion_notifications` (api-v2.md API-133): RFC 4180, CRLF
/// line ends, one row per linked Delete work item in `id` order.
public enum DeletionsCSV {
    public static let name = "deletions.csv"
    public static let contentType = "text/csv; charset=utf-8"
    public static let header = ["Generic File Identifier", "Date Deleted", "Requested By", "Approved By", "APTrust Approver"]

    /// One row per deletion: identifier, date deleted (the item's `date`, API format), requester,
    /// institutional approver, APTrust approver (empty when none).
    public static func make(_ rows: [[String?]]) -> [UInt8] {
        var output: [UInt8] = []
        CSV.appendRow(header, to: &output)
        for row in rows {
            CSV.appendRow(row, to: &output)
        }
        return output
    }
}
