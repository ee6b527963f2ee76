import Postgres

/// The single statement of the overview report (api-v2.md API-125).
///
/// It returns tagged rows, ordered by tag then key, that the API writes straight into JSON:
///
/// | tag | key | name | objects | files | bytes | premis_events | work_items | bytes incl. subscribers |
/// |-----|-----|------|---------|-------|-------|---------------|------------|-------------------------|
/// | 0 totals | identifier (NULL: all) | name | … | … | … | … | … | … |
/// | 1 subscriber | identifier | name | … | … | … | … | … | |
/// | 2 format | file_format | | | | bytes | | | |
/// | 3 storage option | storage_option | | | | bytes | | | |
///
/// Performance choices (issue target: < 1 s with 200k objects and 2M files; keep them):
/// - Object, file and byte figures come from the objects' derived `file_count`/`file_size`
///   (domain.md DOM-70, maintained in the transaction of every file change) summed over the
///   institution's objects: 200k narrow rows instead of 2M files. Summing over every object (not
///   only state `A`) counts exactly the active files, since `file_count` counts only those.
///   `bytes_by_storage_option` groups the same sums by the object's option, which every active
///   file shares (DOM-72 copies it on every file write; DOM-60 forbids changing it while the
///   object is active, and an object becomes `D` only after all its files).
/// - Only `bytes_by_format` needs the files themselves: one aggregate over the institution's
///   active files that references no CTE, so PostgreSQL can run it as a parallel scan.
/// - `premis_events` is the institution's chain head `sequence`: events are numbered 1…n without
///   gaps per institution and never deleted (auditor.md), so it equals their count without
///   counting millions of rows.
public enum OverviewReportQuery {
    /// The first column of every row.
    public enum Tag: Int64 {
        case totals = 0, subscriber = 1, format = 2, storageOption = 3
    }

    /// The statement for one institution (with its subscribers) or for all institutions.
    public static func make(_ scope: ReportScope) -> PGQuery {
        guard let id = scope.institutionID else { return allInstitutions() }
        return """
            WITH family AS (
                SELECT i.id, i.identifier, i.name, CASE WHEN i.id = \(id) THEN 0 ELSE 1 END AS tag
                FROM institutions i WHERE i.id = \(id) OR i.member_institution_id = \(id)
            ),
            objects AS (
                SELECT o.institution_id, o.storage_option, count(*) FILTER (WHERE o.state = 'A') AS objects,
                       sum(o.file_count) AS files, sum(o.file_size) AS bytes
                FROM intellectual_objects o
                WHERE o.institution_id IN (SELECT id FROM family)
                GROUP BY o.institution_id, o.storage_option
            ),
            items AS (
                SELECT w.institution_id, count(*) AS items FROM work_items w
                WHERE w.institution_id IN (SELECT id FROM family)
                GROUP BY w.institution_id
            ),
            totals AS (
                SELECT f.id, f.identifier, f.name, f.tag, coalesce(sum(o.objects), 0) AS objects,
                       coalesce(sum(o.files), 0) AS files, coalesce(sum(o.bytes), 0) AS bytes
                FROM family f LEFT JOIN objects o ON o.institution_id = f.id
                GROUP BY f.id, f.identifier, f.name, f.tag
            )
            SELECT t.tag, t.identifier COLLATE "C", t.name, t.objects, t.files, t.bytes, coalesce(h.sequence, 0),
                   coalesce(w.items, 0), sum(t.bytes) OVER ()
            FROM totals t LEFT JOIN event_chain_heads h ON h.institution_id = t.id
            LEFT JOIN items w ON w.institution_id = t.id
            UNION ALL
            SELECT 2, g.file_format COLLATE "C", NULL, NULL, NULL, sum(g.size), NULL, NULL, NULL
            FROM generic_files g WHERE g.institution_id = \(id) AND g.state = 'A'
            GROUP BY g.file_format
            UNION ALL
            SELECT 3, o.storage_option COLLATE "C", NULL, NULL, NULL, sum(o.bytes), NULL, NULL, NULL
            FROM objects o WHERE o.institution_id = \(id)
            GROUP BY o.storage_option HAVING sum(o.objects) > 0 OR sum(o.files) > 0
            ORDER BY 1, 2
            """
    }

    /// Every institution together: one totals row (key NULL), no subscriber rows.
    private static func allInstitutions() -> PGQuery {
        """
        WITH objects AS (
            SELECT o.storage_option, count(*) FILTER (WHERE o.state = 'A') AS objects,
                   sum(o.file_count) AS files, sum(o.file_size) AS bytes
            FROM intellectual_objects o GROUP BY o.storage_option
        ),
        totals AS (
            SELECT coalesce(sum(objects), 0) AS objects, coalesce(sum(files), 0) AS files,
                   coalesce(sum(bytes), 0) AS bytes FROM objects
        )
        SELECT 0, NULL::text COLLATE "C", NULL::text, t.objects, t.files, t.bytes,
               (SELECT coalesce(sum(h.sequence), 0) FROM event_chain_heads h),
               (SELECT count(*) FROM work_items), t.bytes
        FROM totals t
        UNION ALL
        SELECT 2, g.file_format COLLATE "C", NULL, NULL, NULL, sum(g.size), NULL, NULL, NULL
        FROM generic_files g WHERE g.state = 'A'
        GROUP BY g.file_format
        UNION ALL
        SELECT 3, o.storage_option COLLATE "C", NULL, NULL, NULL, o.bytes, NULL, NULL, NULL
        FROM objects o WHERE o.objects > 0 OR o.files > 0
        ORDER BY 1, 2
        """
    }
}
