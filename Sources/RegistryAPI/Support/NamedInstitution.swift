import RegistryCore
import Routing

/// `?institution=` naming the institution an answer is about (audit heads, reports).
enum NamedInstitution {
    /// Resolves the parameter in the order of DOM-96b, then authorizes the call.
    ///
    /// A named institution the caller may not see — for non-admins anything but their own,
    /// including a subscriber of their own member institution — is answered exactly like an
    /// unknown one: 404 `institution not found: <value>` (DOM-96a), before the role is checked.
    /// nil when the parameter is absent or empty: what that means is the caller's to decide.
    static func resolveThenAuthorize(_ call: inout APICall) throws -> InstitutionRef? {
        let named = try call.query.first("institution").flatMap { $0.isEmpty ? nil : $0 }
        var found: InstitutionRef?
        if let named {
            let caller = call.caller
            found = try call.database.read { connection in
                try RecordLookups.institution(identifierOrID: named, caller: caller, on: connection)
            }
            guard found != nil else { throw RegistryError.notFound("institution not found: \(named)") }
        }
        try call.authorize()
        return found
    }
}
