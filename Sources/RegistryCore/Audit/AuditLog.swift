import Postgres

/// Writes audit rows. `append` runs inside the caller's transaction (DOM-82: the row commits or
/// rolls back with the change it records).
public enum AuditLog {
    public static func append(_ entry: AuditEntry, on connection: PGConnection) throws {
        _ = try connection.query(insert(entry, onlyIf: nil))
    }

    /// `append` as the last statement of a transaction, sent together with its COMMIT
    /// (`PGConnection.queryThenCommit`): for a transaction holding a hot lock until COMMIT.
    public static func appendAndCommit(_ entry: AuditEntry, on connection: PGConnection) throws {
        _ = try connection.queryThenCommit(insert(entry, onlyIf: nil))
    }

    /// The audit row of an event about to be inserted, written BEFORE the event so that it stays
    /// out of the chain-head lock (`EventCreation`): its `resource_id` is taken from the events'
    /// identity sequence and returned (`RETURNING resource_id`), and the event is then inserted with
    /// that id (`PendingEventAppend.insertCommitting`); one transaction holds both. Nothing is
    /// written when an event with `identifier` exists (a replay, audited as such by the caller), so
    /// the statement can leave in the same round trip as the replay lookup.
    static func reservingEventIDQuery(_ entry: AuditEntry, unlessEventExists identifier: String) -> PGQuery {
        var query = insert(entry, onlyIf: nil, resourceID: "\(unescaped: EventRows.idSequenceNext)")
        query.append("""
             WHERE NOT EXISTS (SELECT 1 FROM premis_events WHERE identifier = \(identifier)::uuid) RETURNING resource_id
            """)
        return query
    }

    /// DOM-83: a refused request (403) of `caller` on `routeName`, rate-limited per user, address
    /// and route. Written in its own transaction; a failure to write it is ignored, because the
    /// refusal stands either way. One key layout for the API and the HTML view.
    public static func appendDenial(_ entry: AuditEntry, caller: Caller, remoteAddress: String, routeName: String,
                                    database: Database) {
        try? database.transaction { connection in
            try appendRateLimited(entry, key: "authz.denied|\(caller.userID)|\(remoteAddress)|\(routeName)", on: connection)
        }
    }

    /// DOM-83: failures (401) and denials (403) are recorded at most once per `key` per minute, so
    /// a misconfigured client cannot flood the log. Claiming the key and inserting the row is one
    /// statement, so two processes cannot both write within the same minute.
    public static func appendRateLimited(_ entry: AuditEntry, key: String, on connection: PGConnection) throws {
        let claim: PGQuery = """
            WITH claim AS (
                INSERT INTO audit_rate_limits (key, last_written_at) VALUES (\(key), now())
                ON CONFLICT (key) DO UPDATE SET last_written_at = now(), updated_at = now()
                WHERE audit_rate_limits.last_written_at <= now() - interval '1 minute'
                RETURNING 1)
            """
        _ = try connection.query(insert(entry, onlyIf: claim))
    }

    /// `resourceID`, when given, is SQL computing the row's `resource_id` in place of `entry.resourceID`.
    private static func insert(_ entry: AuditEntry, onlyIf prefix: PGQuery?, resourceID: PGQuery? = nil) -> PGQuery {
        var query = prefix ?? ""
        let details = entry.details.map { String(decoding: $0, as: UTF8.self) }
        let resourceID = resourceID ?? "\(entry.resourceID)"
        query.append("""
             INSERT INTO audit_log (request_id, actor_user_id, actor_email, auth_method, remote_addr, action,
                                    resource_type, resource_id, resource_identifier, institution_id, http_method,
                                    path, status, details)
            SELECT \(entry.origin.requestID), \(entry.actorUserID), \(entry.actorEmail), \(entry.authMethod),
                   \(entry.origin.remoteAddress), \(entry.action), \(entry.resourceType), \(resourceID),
                   \(entry.resourceIdentifier), \(entry.institutionID), \(entry.origin.httpMethod), \(entry.origin.path),
                   \(entry.status), \(details)::jsonb
            """)
        if prefix != nil {
            query.append(" WHERE EXISTS (SELECT 1 FROM claim)")
        }
        return query
    }
}
