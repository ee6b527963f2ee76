import Postgres

/// The single statement of the storage report (api-v2.md API-127), as tagged rows ordered by tag,
/// institution identifier and storage option (byte order):
///
/// | tag | institution | institution_type | member_institution | storage_option | objects | files | bytes |
/// |-----|-------------|------------------|--------------------|----------------|---------|-------|-------|
/// | 0 row | identifier | type | parent identifier or NULL | option | … | … | … |
/// | 1 totals | | | | | … | … | … |
/// | 2 totals by option | | | | option | | | bytes |
///
/// Figures come from the objects' derived `file_count`/`file_size` (DOM-70) grouped by the
/// object's storage option, which every active file shares (DOM-72, DOM-60) — see
/// `OverviewReportQuery` for why: it reads 200k objects instead of 2M files. Rows with zero
/// objects and zero files are left out; `totals` are over the rows returned.
public enum StorageReportQuery {
    /// The first column of every row.
    public enum Tag: Int64 {
        case row = 0, totals = 1, byStorageOption = 2
    }

    /// The statement for one institution (its own rows only) or for all institutions.
    public static func make(_ scope: ReportScope) -> PGQuery {
        var cells: PGQuery = """
            SELECT o.institution_id, o.storage_option, count(*) FILTER (WHERE o.state = 'A') AS objects,
                   sum(o.file_count) AS files, sum(o.file_size) AS bytes
            FROM intellectual_objects o
            """
        if let id = scope.institutionID {
            cells.append(" WHERE o.institution_id = \(id)")
        }
        cells.append("""
             GROUP BY o.institution_id, o.storage_option
            HAVING count(*) FILTER (WHERE o.state = 'A') > 0 OR sum(o.file_count) > 0
            """)
        return """
            WITH cells AS (\(cells))
            SELECT 0, i.identifier COLLATE "C", i.type, p.identifier, c.storage_option COLLATE "C", c.objects, c.files,
                   c.bytes
            FROM cells c JOIN institutions i ON i.id = c.institution_id
            LEFT JOIN institutions p ON p.id = i.member_institution_id
            UNION ALL
            SELECT 1, NULL, NULL, NULL, NULL, coalesce(sum(objects), 0), coalesce(sum(files), 0), coalesce(sum(bytes), 0)
            FROM cells
            UNION ALL
            SELECT 2, NULL, NULL, NULL, storage_option COLLATE "C", NULL, NULL, sum(bytes)
            FROM cells GROUP BY storage_option
            ORDER BY 1, 2, 5
            """
    }
}
