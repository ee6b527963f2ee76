import RegistryCore
import Routing

/// The institution an audit answer is about (auditor.md AUD-50, AUD-54).
struct AuditSubject: Sendable {
    let id: Int64
    let identifier: String

    /// Resolves `?institution=` in the order of DOM-96b, then authorizes the call.
    ///
    /// A named institution the caller may not see (non-admins: any but their own) is a 404 exactly
    /// like an unknown one (DOM-96a), checked before the role and the other parameters. Without the
    /// parameter (or with it empty) a non-admin gets their own institution and an admin a 400:
    /// nobody should record a head without saying which.
    static func resolve(_ call: inout APICall) throws -> AuditSubject {
        let named = try call.query.first("institution").flatMap { $0.isEmpty ? nil : $0 }
        var subject: AuditSubject?
        if let named {
            let caller = call.caller
            let found = try call.database.read { connection in
                try RecordLookups.institution(identifierOrID: named, caller: caller, on: connection)
            }
            guard let found else { throw RegistryError.notFound("institution not found: \(named)") }
            subject = AuditSubject(id: found.id, identifier: found.identifier)
        }
        try call.authorize()
        if let subject { return subject }
        guard !call.caller.isAdmin else { throw RegistryError.badRequest("institution is required") }
        return AuditSubject(id: call.caller.institutionID, identifier: call.caller.institutionIdentifier)
    }
}
