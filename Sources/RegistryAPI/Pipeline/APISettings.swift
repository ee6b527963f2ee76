/// The configuration the API handlers need (a slice of the registry configuration).
public struct APISettings: Sendable {
    /// `PUBLIC_BASE_URL` without a trailing `/`, or nil (then scheme + Host of the request, API-42).
    public var publicBaseURL: String?
    public var maxBodyBytes: Int
    public var maxBatchBodyBytes: Int
    public var maxStateBodyBytes: Int
    public var receivingBucketPrefix: String
    public var restoreBucketPrefix: String
    /// `agent` of the events the server writes itself (DOM-125).
    public var serverAgent: String
    public var stalledAfterHours: Int
    public var opsEmail: String?
    /// `EXPORT_MAX_SECONDS`: the longest a streamed export may run (auditor.md AUD-14).
    public var exportMaxSeconds: Int

    public init(publicBaseURL: String?, maxBodyBytes: Int, maxBatchBodyBytes: Int, maxStateBodyBytes: Int,
                receivingBucketPrefix: String, restoreBucketPrefix: String, serverAgent: String,
                stalledAfterHours: Int, opsEmail: String?, exportMaxSeconds: Int = 3600) {
        self.publicBaseURL = publicBaseURL.map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 }
        self.maxBodyBytes = maxBodyBytes
        self.maxBatchBodyBytes = maxBatchBodyBytes
        self.maxStateBodyBytes = maxStateBodyBytes
        self.receivingBucketPrefix = receivingBucketPrefix
        self.restoreBucketPrefix = restoreBucketPrefix
        self.serverAgent = serverAgent
        self.stalledAfterHours = stalledAfterHours
        self.opsEmail = opsEmail
        self.exportMaxSeconds = exportMaxSeconds
    }
}
