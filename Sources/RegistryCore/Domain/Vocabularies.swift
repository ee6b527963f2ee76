/// The closed vocabularies of domain.md §3. Values are exact and case-sensitive; anything else is
/// a 422 `is not included in the list`. The database CHECK constraints list the same values.
public enum Vocabulary {
    public static let access: Set<String> = ["consortia", "institution", "restricted"]
    public static let state: Set<String> = ["A", "D"]
    public static let storageOption: Set<String> = [
        "Standard", "Glacier-OH", "Glacier-OR", "Glacier-VA", "Glacier-Deep-OH", "Glacier-Deep-OR", "Glacier-Deep-VA",
    ]
    public static let workItemAction: Set<String> = ["Ingest", "Fixity Check", "Restore", "Glacier Restore", "Delete"]
    public static let workItemStage: Set<String> = [
        "Requested", "Receive", "Fetch", "Unpack", "Validate", "Store", "Record", "Cleanup", "Resolve", "Package",
        "Restoring", "Available in S3",
    ]
    public static let workItemStatus: Set<String> = ["Pending", "Started", "Success", "Failed", "Cancelled"]
    /// DOM-35: "pending work".
    public static let nonTerminalStatus: Set<String> = ["Pending", "Started"]
    public static let eventType: Set<String> = [
        "access assignment", "capture", "compression", "creation", "deaccession", "decompression", "decryption",
        "deletion", "digital signature validation", "fixity check", "identifier assignment", "ingestion",
        "message digest calculation", "migration", "normalization", "replication", "validation", "virus check",
    ]
    public static let eventOutcome: Set<String> = ["Success", "Failure", "Failed"]
    /// DOM-37: `Failed` and `Failure` are the same value wherever failures are filtered or counted.
    public static let failureOutcomes = ["Failed", "Failure"]
    public static let checksumAlgorithm: Set<String> = ["md5", "sha1", "sha256", "sha512"]
    public static let institutionType: Set<String> = ["MemberInstitution", "SubscriptionInstitution"]
    public static let deletionStatus: Set<String> = ["requested", "institution_approved", "approved", "completed", "cancelled", "expired"]
    public static let deletionKind: Set<String> = ["object", "file", "bulk"]
    public static let storageRecordKind: Set<String> = ["primary", "replica"]
    public static let notificationStatus: Set<String> = ["pending", "sent", "failed"]

    /// DOM-17: hex digest length per algorithm.
    public static func digestLength(_ algorithm: String) -> Int? {
        switch algorithm {
        case "md5": 32
        case "sha1": 40
        case "sha256": 64
        case "sha512": 128
        default: nil
        }
    }
}

/// DOM-40. Roles are fixed in code, not data.
public enum Role: String, Sendable, CaseIterable {
    case admin
    case institutionalAdmin = "institutional_admin"
    case institutionalUser = "institutional_user"
}

extension Set where Element == String {
    /// Membership by UTF-8 bytes (DOM-5): `Set.contains` compares with Swift's canonical
    /// equivalence, under which e.g. U+212A KELVIN SIGN equals `K`.
    public func containsExactly(_ value: String) -> Bool {
        contains(value) && contains { $0.utf8.elementsEqual(value.utf8) }
    }
}
