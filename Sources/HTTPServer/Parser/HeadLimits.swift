/// Size limits for one request head (operations.md OPS-50).
public struct HeadLimits: Sendable, Equatable {
    /// Most bytes the head may occupy: request line, header lines and the final empty line, plus
    /// any empty lines skipped before the request line (MAX_HEADER_BYTES). One more byte → 431.
    public var maxHeadBytes: Int
    /// Most header fields one head may carry; one more → 431.
    public var maxHeaderCount: Int

    public init(maxHeadBytes: Int = 32_768, maxHeaderCount: Int = 256) {
        self.maxHeadBytes = maxHeadBytes
        self.maxHeaderCount = maxHeaderCount
    }
}
