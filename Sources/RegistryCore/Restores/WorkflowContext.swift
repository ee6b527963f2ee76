/// Who asks for a workflow step (restore, deletion request, confirmation, finish, cancel) and what
/// the step needs from the request around it. The API and the HTML layer build one per request, so
/// the stores never depend on either.
public struct WorkflowContext: Sendable {
    public let caller: Caller
    public let origin: AuditOrigin
    /// Base of the absolute links in notifications (DOM-141b): `PUBLIC_BASE_URL`, or the scheme and
    /// `Host` of the request that creates the notification; no trailing `/`.
    public let baseURL: String
    /// `SERVER_AGENT`: the `agent` of the object `deletion` event the server writes (DOM-125).
    public let serverAgent: String
    /// Where the events a step writes itself (the object `deletion` events of DOM-122/DOM-125) are
    /// counted for `registry_events_created_total`, after their transaction commits.
    public let metrics: RegistryMetrics
    /// The HTML view answers every successful step with a 303 (WEB-16), the API with the status its
    /// route names; the audit row records the status actually sent (domain.md §4.12).
    public let answersWithRedirect: Bool

    public init(caller: Caller, origin: AuditOrigin, baseURL: String, serverAgent: String, metrics: RegistryMetrics,
                answersWithRedirect: Bool) {
        self.caller = caller
        self.origin = origin
        self.baseURL = baseURL
        self.serverAgent = serverAgent
        self.metrics = metrics
        self.answersWithRedirect = answersWithRedirect
    }

    /// Counts `count` object `deletion` events (all `Success`) once their transaction committed.
    func deletionEventsCommitted(_ count: Int) {
        metrics.eventCreated(type: ObjectDeletion.eventType, outcome: ObjectDeletion.eventOutcome, count: count)
    }

    /// An audit entry for this caller and request (domain.md §4.12).
    /// - Parameter status: the API's success status for the step; a 303 for the HTML view.
    func audit(_ action: String, resourceType: String, resourceID: Int64?, resourceIdentifier: String?,
               institutionID: Int64, status: Int, details: [UInt8]? = nil) -> AuditEntry {
        AuditEntry(origin: origin, caller: caller, action: action, resourceType: resourceType, resourceID: resourceID,
                   resourceIdentifier: resourceIdentifier, institutionID: institutionID,
                   status: answersWithRedirect ? 303 : status, details: details)
    }
}
