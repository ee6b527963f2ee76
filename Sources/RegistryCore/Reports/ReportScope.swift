/// The institution a report is about (api-v2.md §10.10), or every institution (admins only).
public struct ReportScope: Sendable, Equatable {
    /// nil: all institutions.
    public let institutionID: Int64?
    /// The identifier of `institutionID`; nil for all institutions.
    public let institutionIdentifier: String?

    /// One institution: its own figures (subscribers only in the overview's `subscribers`).
    public init(institutionID: Int64, institutionIdentifier: String) {
        self.institutionID = institutionID
        self.institutionIdentifier = institutionIdentifier
    }

    private init() {
        institutionID = nil
        institutionIdentifier = nil
    }

    /// Every institution together (admins without an `institution` parameter).
    public static let allInstitutions = ReportScope()
}

/// A calendar month (UTC) of the deposits report, written `YYYY-MM` (API-126).
public struct ReportMonth: Sendable, Equatable, Comparable {
    /// 1–9999.
    public let year: Int
    /// 1–12.
    public let month: Int

    /// nil outside years 1–9999 or months 1–12.
    public init?(year: Int, month: Int) {
        guard (1...9999).contains(year), (1...12).contains(month) else { return nil }
        self.year = year
        self.month = month
    }

    /// Exactly `YYYY-MM` with a month 01–12; nil otherwise.
    public init?(_ text: String) {
        let bytes = Array(text.utf8)
        guard bytes.count == 7, bytes[4] == UInt8(ascii: "-") else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for byte in bytes[range] {
                guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
                value = value * 10 + Int(byte - UInt8(ascii: "0"))
            }
            return value
        }
        guard let year = number(0..<4), let month = number(5..<7) else { return nil }
        self.init(year: year, month: month)
    }

    /// Months since year 0, for counting the months of a range.
    public var ordinal: Int { year * 12 + (month - 1) }

    /// Number of months from `self` to `end`, both included (0 when `end` is earlier).
    public func monthsThrough(_ end: ReportMonth) -> Int {
        max(0, end.ordinal - ordinal + 1)
    }

    /// The first instant of the month as a PostgreSQL `timestamp` literal (UTC wall time).
    public var postgresTimestamp: String {
        let yearText = String(year)
        let monthText = String(month)
        return String(repeating: "0", count: 4 - yearText.count) + yearText + "-"
            + (month < 10 ? "0" : "") + monthText + "-01 00:00:00"
    }

    public static func < (lhs: ReportMonth, rhs: ReportMonth) -> Bool {
        lhs.ordinal < rhs.ordinal
    }
}
