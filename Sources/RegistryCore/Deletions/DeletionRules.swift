/// Who may take which step of a deletion (domain.md §7.2, DOM-120, DOM-121, DOM-127, DOM-131,
/// DOM-132). Pure functions of the caller and the stored request, so the permission matrix can be
/// tested without a database. "Sole" facts come from `DeletionPeople`.
public enum DeletionRules {
    /// The approval a request is waiting for, by kind and stored status; nil when it waits for none.
    public enum Step: Sendable, Equatable {
        /// DOM-121: an institutional admin confirms an object or file request.
        case confirmSingle
        /// DOM-131: an institutional admin approves a bulk request.
        case approveForInstitution
        /// DOM-132: an admin approves a bulk request the institution approved.
        case approveForAPTrust
    }

    public static func step(kind: String, status: String) -> Step? {
        switch (kind, status) {
        case ("object", "requested"), ("file", "requested"): .confirmSingle
        case ("bulk", "requested"): .approveForInstitution
        case ("bulk", "institution_approved"): .approveForAPTrust
        default: nil
        }
    }

    /// Why an e-mailed token cannot take a step of `request`, in the order every use checks it
    /// (DOM-121, DOM-131, DOM-132, WEB-31): the request must wait for that step (`expected`, or any
    /// step when nil), must not have expired, and the token must be its current one (a bulk
    /// request's first token no longer matches once the next step has a new one).
    public enum TokenProblem: Sendable, Equatable {
        case notWaiting
        case expired
        case invalid
    }

    public static func tokenProblem(_ request: DeletionRequestRecord, token: String?, expected: Step?) -> TokenProblem? {
        guard let waitingFor = step(kind: request.kind, status: request.status),
              expected == nil || expected == waitingFor else { return .notWaiting }
        guard !request.isExpired else { return .expired }
        guard let token, DeletionToken.matches(token, storedHash: request.tokenHash) else { return .invalid }
        return nil
    }

    /// Who may request a restore (DOM-110, DOM-111) or a single deletion (DOM-120) of a record of
    /// the institution, or cancel one of its deletion requests (DOM-127): an admin, or an inst admin
    /// of that institution.
    public static func isAdminOrOwnInstitutionalAdmin(_ caller: Caller, institutionID: Int64) -> Bool {
        caller.isAdmin || (caller.isInstitutionalAdmin && caller.institutionID == institutionID)
    }

    /// DOM-121: an institutional admin of the request's institution who is not the requester, unless
    /// the requester is that institution's only active institutional admin. Admins may not.
    public static func mayConfirmSingle(_ caller: Caller, request: DeletionRequestRecord,
                                        requesterIsSoleInstitutionalAdmin: Bool) -> Bool {
        guard caller.isInstitutionalAdmin, caller.institutionID == request.institutionID else { return false }
        return caller.userID != request.requestedByID || requesterIsSoleInstitutionalAdmin
    }

    /// DOM-131: an institutional admin of the request's institution.
    public static func mayApproveForInstitution(_ caller: Caller, request: DeletionRequestRecord) -> Bool {
        caller.isInstitutionalAdmin && caller.institutionID == request.institutionID
    }

    /// DOM-132: an admin other than the requester, unless the requester is the only active admin.
    public static func mayApproveForAPTrust(_ caller: Caller, request: DeletionRequestRecord,
                                            requesterIsSoleAdmin: Bool) -> Bool {
        caller.isAdmin && (caller.userID != request.requestedByID || requesterIsSoleAdmin)
    }

    /// A request that waits for no approval (approved, completed, cancelled): whoever could take part
    /// in its workflow is told why nothing happens (409); anybody else gets 403.
    public static func mayAskAboutFinishedWorkflow(_ caller: Caller, request: DeletionRequestRecord) -> Bool {
        isAdminOrOwnInstitutionalAdmin(caller, institutionID: request.institutionID)
    }
}
