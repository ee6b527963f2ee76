import Formats
import HTTPServer
import Postgres
import RegistryCore
import Routing

/// The configuration the HTML view needs (a slice of the registry configuration, operations.md OPS-1).
public struct WebSettings: Sendable {
    /// `PUBLIC_BASE_URL` without a trailing `/`, or nil (then scheme + Host of the request).
    public var publicBaseURL: String?
    /// `MAX_BODY_BYTES`: the limit of every form post.
    public var maxBodyBytes: Int
    /// `SESSION_IDLE_MINUTES` / `SESSION_MAX_HOURS` (WEB-6).
    public var sessionTimeouts: SessionTimeouts
    /// WEB-5: `Secure` on cookies (`PUBLIC_BASE_URL` is https, or `COOKIE_SECURE=true`).
    public var cookieSecure: Bool
    public var receivingBucketPrefix: String
    public var restoreBucketPrefix: String
    /// `SERVER_AGENT` (events the server writes itself, DOM-125).
    public var serverAgent: String
    /// `STALLED_AFTER_HOURS` (alerts, domain.md §8.8).
    public var stalledAfterHours: Int

    public init(publicBaseURL: String?, maxBodyBytes: Int, sessionTimeouts: SessionTimeouts, cookieSecure: Bool,
                receivingBucketPrefix: String, restoreBucketPrefix: String, serverAgent: String, stalledAfterHours: Int) {
        self.publicBaseURL = publicBaseURL.map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 }
        self.maxBodyBytes = maxBodyBytes
        self.sessionTimeouts = sessionTimeouts
        self.cookieSecure = cookieSecure
        self.receivingBucketPrefix = receivingBucketPrefix
        self.restoreBucketPrefix = restoreBucketPrefix
        self.serverAgent = serverAgent
        self.stalledAfterHours = stalledAfterHours
    }
}
