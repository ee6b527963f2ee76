import Formats
import Postgres
import RegistryCore

/// The JSON of the three reports (api-v2.md API-125..127), written straight from the tagged result
/// rows of their single statements (see `OverviewReportQuery`, `DepositsReportQuery`,
/// `StorageReportQuery` for the column layouts).
enum ReportWriters {
    /// API-125. The statement returns its rows ordered by tag; they are written in the order of the
    /// representation, which puts the subscribers after the two byte maps.
    static func overview(_ result: PGResult, scope: ReportScope, generatedAt: Timestamp) -> [UInt8] {
        let rows = RowsByTag(result)
        var writer = JSONWriter(capacity: 1024)
        writer.beginObject()
        writer.field("institution", scope.institutionIdentifier)
        writer.field("generated_at", generatedAt)
        // The totals row always exists: the subject institution (or all of them) is in the query.
        let totals = rows.first(OverviewReportQuery.Tag.totals.rawValue) ?? 0
        writeIntegers(["intellectual_objects": 3, "generic_files": 4, "total_bytes": 5], result, row: totals, into: &writer)
        writer.key("average_file_size")
        writer.int(averageFileSize(result, row: totals))
        writeIntegers(["premis_events": 6, "work_items": 7], result, row: totals, into: &writer)
        writer.key("bytes_by_format")
        writeByteMap(result, rows: rows.all(OverviewReportQuery.Tag.format.rawValue), keyColumn: 1, bytesColumn: 5,
                     into: &writer)
        writer.key("bytes_by_storage_option")
        writeByteMap(result, rows: rows.all(OverviewReportQuery.Tag.storageOption.rawValue), keyColumn: 1,
                     bytesColumn: 5, into: &writer)
        writer.key("subscribers")
        writer.beginArray()
        for row in rows.all(OverviewReportQuery.Tag.subscriber.rawValue) {
            writer.beginObject()
            writeTexts(["identifier": 1, "name": 2], result, row: row, into: &writer)
            writeIntegers(["intellectual_objects": 3, "generic_files": 4, "total_bytes": 5, "premis_events": 6,
                           "work_items": 7], result, row: row, into: &writer)
            writer.endObject()
        }
        writer.endArray()
        writer.key("total_bytes_with_subscribers")
        writer.integerCell(result, totals, 8)
        writer.endObject()
        return writer.bytes
    }

    /// API-126: `{"institution", "months": [{"month", "objects", "files", "bytes"}]}`.
    static func deposits(_ result: PGResult, scope: ReportScope) -> [UInt8] {
        var writer = JSONWriter(capacity: 256 + result.rowCount * 64)
        writer.beginObject()
        writer.field("institution", scope.institutionIdentifier)
        writer.key("months")
        writer.beginArray()
        for row in 0..<result.rowCount {
            writer.beginObject()
            writeTexts(["month": 0], result, row: row, into: &writer)
            writeIntegers(["objects": 1, "files": 2, "bytes": 3], result, row: row, into: &writer)
            writer.endObject()
        }
        writer.endArray()
        writer.endObject()
        return writer.bytes
    }

    /// API-127: `{"generated_at", "rows": […], "totals": {"objects", "files", "bytes", "by_storage_option"}}`.
    static func storage(_ result: PGResult, generatedAt: Timestamp) -> [UInt8] {
        let rows = RowsByTag(result)
        var writer = JSONWriter(capacity: 512 + result.rowCount * 192)
        writer.beginObject()
        writer.field("generated_at", generatedAt)
        writer.key("rows")
        writer.beginArray()
        for row in rows.all(StorageReportQuery.Tag.row.rawValue) {
            writer.beginObject()
            writeTexts(["institution": 1, "institution_type": 2, "member_institution": 3, "storage_option": 4],
                       result, row: row, into: &writer)
            writeIntegers(storageCounts, result, row: row, into: &writer)
            writer.endObject()
        }
        writer.endArray()
        writer.key("totals")
        writer.beginObject()
        // The aggregate without GROUP BY always yields its one row.
        let totals = rows.first(StorageReportQuery.Tag.totals.rawValue) ?? 0
        writeIntegers(storageCounts, result, row: totals, into: &writer)
        writer.key("by_storage_option")
        writeByteMap(result, rows: rows.all(StorageReportQuery.Tag.byStorageOption.rawValue), keyColumn: 4,
                     bytesColumn: 7, into: &writer)
        writer.endObject()
        writer.endObject()
        return writer.bytes
    }

    /// The counts of a storage report row and of its totals: the same columns.
    private static let storageCounts: KeyValuePairs<StaticString, Int> = ["objects": 5, "files": 6, "bytes": 7]

    /// `"key": <text cell>` for each key and column of `row`, in order.
    private static func writeTexts(_ members: KeyValuePairs<StaticString, Int>, _ result: PGResult, row: Int,
                                   into writer: inout JSONWriter) {
        for (key, column) in members {
            writer.key(key)
            writer.textCell(result, row, column)
        }
    }

    /// `"key": <integer cell>` for each key and column of `row`, in order.
    private static func writeIntegers(_ members: KeyValuePairs<StaticString, Int>, _ result: PGResult, row: Int,
                                      into writer: inout JSONWriter) {
        for (key, column) in members {
            writer.key(key)
            writer.integerCell(result, row, column)
        }
    }

    /// `{key: bytes, …}` in the rows' order (the statements sort the keys in byte order).
    private static func writeByteMap(_ result: PGResult, rows: Range<Int>, keyColumn: Int, bytesColumn: Int,
                                     into writer: inout JSONWriter) {
        writer.beginObject()
        for row in rows {
            writer.key(result.string(row, keyColumn) ?? "")
            writer.integerCell(result, row, bytesColumn)
        }
        writer.endObject()
    }

    /// API-125: `total_bytes / generic_files` rounded down; 0 without files. The byte total is a
    /// numeric sum and may pass the bigint range (each file's size is a bigint, their sum is not);
    /// the average never does.
    private static func averageFileSize(_ result: PGResult, row: Int) -> Int64 {
        guard let files = (try? result.int64(row, 4)) ?? nil, files > 0 else { return 0 }
        if let bytes = (try? result.int64(row, 5)) ?? nil { return bytes / files }
        return result.string(row, 5).flatMap { floorQuotient(decimal: $0, by: files) } ?? 0
    }

    /// Long division of a non-negative decimal integer text by `divisor` > 0; nil when the text is
    /// not one or the quotient does not fit.
    static func floorQuotient(decimal: String, by divisor: Int64) -> Int64? {
        guard divisor > 0, !decimal.isEmpty, decimal.utf8.count <= 38 else { return nil }
        let wideDivisor = UInt128(divisor)
        var remainder: UInt128 = 0
        var quotient: UInt128 = 0
        for byte in decimal.utf8 {
            guard byte >= 0x30 && byte <= 0x39 else { return nil }
            remainder = remainder * 10 + UInt128(byte - 0x30)
            quotient = quotient * 10 + remainder / wideDivisor
            remainder %= wideDivisor
        }
        return quotient <= UInt128(Int64.max) ? Int64(quotient) : nil
    }
}

/// The row ranges of each tag in a result whose first column is a tag and whose rows are sorted by it.
struct RowsByTag {
    private var ranges: [Int64: Range<Int>] = [:]

    init(_ result: PGResult) {
        var row = 0
        while row < result.rowCount {
            let tag = (try? result.int64(row, 0)) ?? nil ?? -1
            var end = row + 1
            while end < result.rowCount, ((try? result.int64(end, 0)) ?? nil ?? -1) == tag { end += 1 }
            ranges[tag] = row..<end
            row = end
        }
    }

    func all(_ tag: Int64) -> Range<Int> {
        ranges[tag] ?? 0..<0
    }

    func first(_ tag: Int64) -> Int? {
        ranges[tag].map(\.lowerBound)
    }
}
