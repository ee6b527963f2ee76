/// Who is asking, known before the body is read. With the other message types (not with the server)
/// so the parser fuzzer, which compiles `Message/` and `Parser/` on their own, builds.
public struct RequestContext: Sendable {
    public var remoteAddress: String
    public var scheme: String
    public var requestID: String
}
