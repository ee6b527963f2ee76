/// A predicate on the raw (undecoded) text of one path segment, attached to a `{parameter}`.
///
/// Parameters at the same position of different routes share one branch of the route tree only
/// when their constraints have the same `label`, so the label must identify the predicate: two
/// constraints with one label are assumed to accept the same segments.
public struct SegmentConstraint: Sendable {
    /// Names the predicate (shown in the route tree and used to share branches).
    public let label: String
    private let predicate: @Sendable (Substring) -> Bool

    public init(_ label: String, _ predicate: @escaping @Sendable (Substring) -> Bool) {
        self.label = label
        self.predicate = predicate
    }

    /// Whether the raw segment satisfies the constraint.
    public func accepts(_ rawSegment: Substring) -> Bool {
        predicate(rawSegment)
    }

    /// The segment contains a `.`: institution identifiers such as `test.edu` (api-v2.md API-82).
    public static let containsDot = SegmentConstraint("contains-dot") { $0.utf8.contains(UInt8(ascii: ".")) }
}
