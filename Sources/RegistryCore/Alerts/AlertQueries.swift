import Formats
import Postgres

/// The five alerts of domain.md §8.8, computed at query time from events and work items.
public enum AlertKind: String, CaseIterable, Sendable {
    case failedFixity
    case failedIngests
    case failedRestorations
    case failedDeletions
    case stalledWorkItems

    /// Failed fixity checks are events (alias `e`); the others are work items (alias `w`).
    public var isEventAlert: Bool { self == .failedFixity }
}

/// What an alert query covers: the failure window, the stalled cut-off and the tenant scope.
public struct AlertScope: Sendable {
    /// Failures with `created_at` (events) or `updated_at` (items) at or after this instant.
    public var since: Timestamp
    /// Stalled = non-terminal and queued before this instant (now − STALLED_AFTER_HOURS); `since`
    /// never applies to stalled items, they are a current condition.
    public var stalledBefore: Timestamp
    /// nil: every institution (admins); else that institution only (inst admins).
    public var institutionID: Int64?

    public init(since: Timestamp, stalledBefore: Timestamp, institutionID: Int64?) {
        self.since = since
        self.stalledBefore = stalledBefore
        self.institutionID = institutionID
    }

    /// The default window start of §8.8 and API-120/130/133: now − 24 h.
    public static func defaultSince(now: Timestamp = .now()) -> Timestamp {
        now.adding(microseconds: -24 * 3_600_000_000) ?? now
    }

    /// now − `hours` (STALLED_AFTER_HOURS).
    public static func stalledCutoff(hours: Int, now: Timestamp = .now()) -> Timestamp {
        now.adding(microseconds: -Int64(hours) * 3_600_000_000) ?? now
    }
}

/// The SQL of the alerts, shared by the API (api-v2.md §10.9) and the HTML alert pages.
///
/// Index use (see the migration): vocabulary values are literal SQL text, never bound, so that
/// every prepared plan — generic ones included — can seek the partial `premis_events_failed_fixity_idx`
/// (created_at, id; migration 0002) or `premis_events_type_created_idx` (event_type, created_at, id),
/// `work_items_status_action_updated_idx` (status, action,
/// updated_at, id) and `work_items_status_queued_idx` (status, queued_at). Only the instants and
/// the institution are parameters.
public enum AlertQueries {
    /// ` WHERE …` of one alert, on alias `e` (events) or `w` (work items).
    public static func whereClause(_ kind: AlertKind, _ scope: AlertScope) -> PGQuery {
        var query: PGQuery
        switch kind {
        case .failedFixity:
            // DOM-37: `Failed` and `Failure` are the same outcome.
            query = """
                 WHERE e.event_type = 'fixity check' AND e.outcome IN ('Failed', 'Failure') \
                AND e.created_at >= \(scope.since)
                """
        case .failedIngests:
            query = " WHERE w.status = 'Failed' AND w.action = 'Ingest' AND w.updated_at >= \(scope.since)"
        case .failedRestorations:
            query = """
                 WHERE w.status = 'Failed' AND w.action IN ('Restore', 'Glacier Restore') \
                AND w.updated_at >= \(scope.since)
                """
        case .failedDeletions:
            query = " WHERE w.status = 'Failed' AND w.action = 'Delete' AND w.updated_at >= \(scope.since)"
        case .stalledWorkItems:
            query = " WHERE w.status IN ('Pending', 'Started') AND w.queued_at < \(scope.stalledBefore)"
        }
        if let institutionID = scope.institutionID {
            if kind.isEventAlert {
                query.append(" AND e.institution_id = \(institutionID)")
            } else {
                query.append(" AND w.institution_id = \(institutionID)")
            }
        }
        return query
    }

    /// `FROM` of one alert with the joins its representation needs: events name their
    /// institution (`i`), work items their state row (`ws`, DOM-76).
    public static func from(_ kind: AlertKind) -> PGQuery {
        kind.isEventAlert
            ? " FROM premis_events e JOIN institutions i ON i.id = e.institution_id"
            : " FROM work_items w LEFT JOIN work_item_states ws ON ws.work_item_id = w.id"
    }

    /// §8.8: newest first by `updated_at` (events: `created_at`, which equals it), then `id`.
    public static func order(_ kind: AlertKind) -> PGQuery {
        kind.isEventAlert
            ? " ORDER BY e.created_at DESC, e.id DESC"
            : " ORDER BY w.updated_at DESC, w.id DESC"
    }

    /// `SELECT <selectList> FROM … WHERE … ORDER BY … LIMIT <limit>`: at most `limit` rows of one alert.
    public static func rows(_ kind: AlertKind, _ scope: AlertScope, selectList: PGQuery, limit: Int) -> PGQuery {
        var query: PGQuery = "SELECT "
        query.append(selectList)
        query.append(from(kind))
        query.append(whereClause(kind, scope))
        query.append(order(kind))
        query.append(" LIMIT \(limit)")
        return query
    }

    /// One row with the exact count of every alert, in `AlertKind.allCases` order (API-121).
    public static func summary(_ scope: AlertScope) -> PGQuery {
        var query: PGQuery = "SELECT"
        for (index, kind) in AlertKind.allCases.enumerated() {
            query.appendUnescaped(index == 0 ? " (SELECT count(*)" : ", (SELECT count(*)")
            query.append(kind.isEventAlert ? " FROM premis_events e" : " FROM work_items w")
            query.append(whereClause(kind, scope))
            query.appendUnescaped(")")
        }
        return query
    }
}
