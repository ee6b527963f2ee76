import RegistryCore
import Routing

/// The institution an audit answer is about (auditor.md AUD-50, AUD-54).
struct AuditSubject: Sendable {
    let id: Int64
    let identifier: String

    /// Resolves `?institution=` in the order of DOM-96b, then authorizes the call
    /// (`NamedInstitution`). Without the parameter (or with it empty) a non-admin gets their own
    /// institution and an admin a 400: nobody should record a head without saying which.
    static func resolve(_ call: inout APICall) throws -> AuditSubject {
        if let found = try NamedInstitution.resolveThenAuthorize(&call) {
            return AuditSubject(id: found.id, identifier: found.identifier)
        }
        guard !call.caller.isAdmin else { throw RegistryError.badRequest("institution is required") }
        return AuditSubject(id: call.caller.institutionID, identifier: call.caller.institutionIdentifier)
    }
}
