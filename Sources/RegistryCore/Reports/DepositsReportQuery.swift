import Postgres

/// The single statement of the deposits report (api-v2.md API-126): one row per calendar month
/// (UTC) — `month` (`YYYY-MM`), `objects`, `files`, `bytes` — zero months included.
///
/// Files are counted by their `created_at` month, objects by theirs; only active (`A`) records of
/// the institution itself (no subscriber roll-up), optionally of one storage option. The file
/// aggregate references no CTE, so PostgreSQL may run it as a parallel scan: it is the one part
/// that reads the files themselves (issue target: < 1 s with 2M files). At most
/// `maximumMonths + 1` rows come back, so that a data-derived start cannot produce a huge series;
/// the caller answers more than `maximumMonths` with a 400.
public enum DepositsReportQuery {
    /// API-126: more than 600 months is a 400.
    public static let maximumMonths = 600

    /// - Parameters:
    ///   - start: first month; nil = the month of the earliest counted file, or `end` when there
    ///     is none (or when it is later than `end`).
    ///   - end: last month, included.
    public static func make(_ scope: ReportScope, start: ReportMonth?, end: ReportMonth, storageOption: String?) -> PGQuery {
        var files: PGQuery = """
            SELECT date_trunc('month', g.created_at AT TIME ZONE 'UTC') AS month, count(*) AS files, sum(g.size) AS bytes
            FROM generic_files g WHERE g.state = 'A'
            """
        var objects: PGQuery = """
            SELECT date_trunc('month', o.created_at AT TIME ZONE 'UTC') AS month, count(*) AS objects
            FROM intellectual_objects o WHERE o.state = 'A'
            """
        if let id = scope.institutionID {
            files.append(" AND g.institution_id = \(id)")
            objects.append(" AND o.institution_id = \(id)")
        }
        if let storageOption {
            files.append(" AND g.storage_option = \(storageOption)")
            objects.append(" AND o.storage_option = \(storageOption)")
        }
        files.append(" GROUP BY 1")
        objects.append(" GROUP BY 1")
        let endText = end.postgresTimestamp
        return """
            WITH file_months AS (\(files)),
            object_months AS (\(objects)),
            series AS (
                SELECT generate_series(
                           coalesce(\(start?.postgresTimestamp)::timestamp,
                                    least((SELECT min(month) FROM file_months), \(endText)::timestamp)),
                           \(endText)::timestamp, interval '1 month') AS month
            )
            SELECT to_char(s.month, 'YYYY-MM'), coalesce(om.objects, 0), coalesce(fm.files, 0), coalesce(fm.bytes, 0)
            FROM series s LEFT JOIN file_months fm ON fm.month = s.month LEFT JOIN object_months om ON om.month = s.month
            ORDER BY s.month
            LIMIT \(maximumMonths + 1)
            """
    }
}
