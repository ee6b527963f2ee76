#if canImport(Glibc)
import Glibc
#endif
import Formats

/// One institution of the dataset.
struct PlannedInstitution {
    let identifier: String
    let name: String
    /// nil for a member; the member's identifier for a subscriber.
    let parent: String?
    let objects: Int
}

/// The shape of the benchmark dataset (issue 3, `make bench-api`): sizes, institutions and the
/// timeline. Everything else is derived deterministically from an object's index (`ObjectShape`).
enum DatasetPlan {
    /// Bump when the shape changes: a dataset of another version is refused, not silently reused.
    static let version = 1

    /// `BENCH_DATA_SCALE` (default 1) shrinks the dataset for a quick trial of the generator and
    /// the benchmark script; the benchmark's figures are only meaningful at scale 1.
    static let scale: Double = getenv("BENCH_DATA_SCALE").flatMap { Double(String(cString: $0)) } ?? 1

    private static func scaled(_ count: Int) -> Int { max(1, Int((Double(count) * scale).rounded())) }

    /// `aptrust.org` holds the admin accounts and no objects; `big.edu` is the institution with
    /// 200,000 objects that issue 7's object list page is measured on.
    static let institutions: [PlannedInstitution] = [
        PlannedInstitution(identifier: "aptrust.org", name: "APTrust", parent: nil, objects: 0),
        PlannedInstitution(identifier: "big.edu", name: "Big University", parent: nil, objects: ingestedObjects / cycle * 10),
        PlannedInstitution(identifier: "alpha.edu", name: "Alpha College", parent: nil, objects: ingestedObjects / cycle),
        PlannedInstitution(identifier: "beta.edu", name: "Beta University", parent: nil, objects: ingestedObjects / cycle),
        PlannedInstitution(identifier: "gamma.edu", name: "Gamma Library", parent: "beta.edu", objects: ingestedObjects / cycle),
    ]

    /// Objects with files and events, in ingest order. Institutions take turns in a cycle of 13
    /// (10 × big.edu, then one each of the others), so every chain grows over the whole timeline.
    static let cycle = 13
    static let ingestedObjects = max(1, scaled(260_000) / cycle) * cycle

    /// Empty objects per institution (index ≥ 1) that the create_batch benchmark adds files to.
    static let ingestTargetsPerInstitution = 32

    /// Work items: one finished Ingest item per object for most objects, and the queue's items.
    static let workItems = scaled(200_000)
    static let pendingQueueItems = scaled(1_000)
    /// Of the pending items, this many have `retry = false` (the poller skips them).
    static let pendingWithoutRetry = scaled(100)
    static let startedItems = scaled(1_000)
    static let failedItems = scaled(500)

    /// API keys in `api_keys` (issue 4 compares 10 with 10,000).
    static let activeKeys = 10
    static let spareKeys = 9_990

    /// 2020-01-01T00:00:00Z … the last ingest in August 2026.
    static let timelineStart = Timestamp(microseconds: 1_577_836_800_000_000)
    static let secondsBetweenObjects = Int64(800 / scale)

    static func institutionIndex(ofObject index: Int) -> Int {
        switch index % cycle {
        case 0..<10: return 1
        case 10: return 2
        case 11: return 3
        default: return 4
        }
    }

    /// The object's number within its institution (0-based), for its bag name.
    static func ordinal(ofObject index: Int) -> Int {
        let position = index % cycle
        return position < 10 ? (index / cycle) * 10 + position : index / cycle
    }

    /// When object `index` was ingested.
    static func ingestTime(ofObject index: Int) -> Timestamp {
        Timestamp(microseconds: timelineStart.microseconds + Int64(index) * secondsBetweenObjects * 1_000_000)
    }

    /// Ids of the ingest targets start after the ingested objects (ids are `index + 1`).
    static var ingestTargetCount: Int {
        ingestTargetsPerInstitution * (institutions.count - 1)
    }

    static var totalObjects: Int { ingestedObjects + ingestTargetCount }
}
