import HTTPServer
import RegistryCore

/// Tamper evidence (auditor.md §5.5; api-v2.md §9 routes #29, #58, #59, #60).
enum AuditRoutes {
    static var routes: [APIRoute] {
        [
            // AUD-50. namesRecord: the institution in the query is checked for visibility (404)
            // before the role and the parameters (DOM-96a, DOM-96b).
            APIRoute("audit.head", [.get], "/audit/head", member: [.get], namesRecord: true,
                     query: QuerySpec(["institution"]), handler: AuditHeads.head),
            // AUD-51: admins only, not in the member API.
            APIRoute("audit.heads", [.get], "/audit/heads", namesRecord: false,
                     handler: AuditHeads.heads),
            // AUD-54.
            APIRoute("audit.consistency", [.get], "/audit/consistency", member: [.get], namesRecord: true, query: QuerySpec(["institution", "from_sequence", "to_sequence"]),
                     handler: AuditConsistency.respond),
            // AUD-52. The literal `proof` segment makes this more specific than the events routes'
            // `/events/{uuid}` (and their API-6 remainder fallback), so it wins (API-82).
            APIRoute("events.proof", [.get], "/events/{uuid}/proof", member: [.get], namesRecord: true, query: QuerySpec(["head_sequence"]), handler: EventProof.respond),
            // AUD-70.
            AuditLogList.route,
        ]
    }
}
