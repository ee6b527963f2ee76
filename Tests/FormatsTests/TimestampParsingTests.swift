import Formats
import Testing

/// RFC 3339 (API-26), query dates (API-48) and PostgreSQL text parsing; DOM-2 truncation, DOM-3.
@Suite struct TimestampParsingTests {
    /// Microseconds since the epoch of a UTC instant written as separate fields (test oracle built
    /// from the civil-date conversion, which `TimestampFormattingTests` checks independently).
    private func micros(_ y: Int, _ mo: Int, _ d: Int, _ h: Int = 0, _ mi: Int = 0, _ s: Int = 0, _ us: Int = 0) -> Int64? {
        Timestamp(CivilDateTime(year: y, month: mo, day: d, hour: h, minute: mi, second: s, microsecond: us))?
            .microseconds
    }

    @Test("API-26: basic UTC forms with T/t and Z/z")
    func basicForms() {
        let expected: Int64 = 1_714_568_523_000_000  // 2024-05-01T13:02:03Z
        #expect(Timestamp(rfc3339: "2024-05-01T13:02:03Z")?.microseconds == expected)
        #expect(Timestamp(rfc3339: "2024-05-01t13:02:03z")?.microseconds == expected)
        #expect(Timestamp(rfc3339: "2024-05-01T13:02:03z")?.microseconds == expected)
        #expect(Timestamp(rfc3339: "1970-01-01T00:00:00Z")?.microseconds == 0)
    }

    @Test("API-26: fractions of any length, truncated (never rounded) to microseconds (DOM-2)")
    func fractions() {
        let base: Int64 = 1_714_568_523_000_000
        #expect(Timestamp(rfc3339: "2024-05-01T13:02:03.1Z")?.microseconds == base + 100_000)
        #expect(Timestamp(rfc3339: "2024-05-01T13:02:03.12Z")?.microseconds == base + 120_000)
        #expect(Timestamp(rfc3339: "2024-05-01T13:02:03.123456Z")?.microseconds == base + 123_456)
        #expect(Timestamp(rfc3339: "2024-05-01T13:02:03.1234567Z")?.microseconds == base + 123_456)
        #expect(Timestamp(rfc3339: "2024-05-01T13:02:03.999999999Z")?.microseconds == base + 999_999)
        #expect(Timestamp(rfc3339: "2024-05-01T13:02:03.123456789Z")?.microseconds == base + 123_456)
        #expect(Timestamp(rfc3339: "2024-05-01T13:02:03.000000999Z")?.microseconds == base)
        #expect(Timestamp(rfc3339: "2024-05-01T13:02:03.0000000000000000000001Z")?.microseconds == base)
    }

    @Test("API-26: numeric offsets are applied")
    func offsets() {
        let utc: Int64 = 1_714_568_523_000_000  // 2024-05-01T13:02:03Z
        #expect(Timestamp(rfc3339: "2024-05-01T15:02:03+02:00")?.microseconds == utc)
        #expect(Timestamp(rfc3339: "2024-05-01T08:32:03-04:30")?.microseconds == utc)
        #expect(Timestamp(rfc3339: "2024-05-01T13:02:03+00:00")?.microseconds == utc)
        #expect(Timestamp(rfc3339: "2024-05-01T13:02:03-00:00")?.microseconds == utc)
        #expect(Timestamp(rfc3339: "2024-05-02T13:01:03.5+23:59")?.microseconds == utc + 500_000)
        // Crossing a year boundary through the offset.
        #expect(Timestamp(rfc3339: "2023-12-31T23:30:00-01:00") == Timestamp(rfc3339: "2024-01-01T00:30:00Z"))
    }

    @Test("API-26: leap years decide whether February 29 exists")
    func leapYears() {
        #expect(Timestamp(rfc3339: "2024-02-29T00:00:00Z") != nil)
        #expect(Timestamp(rfc3339: "2000-02-29T00:00:00Z") != nil)
        #expect(Timestamp(rfc3339: "2400-02-29T00:00:00Z") != nil)
        #expect(Timestamp(rfc3339: "2023-02-29T00:00:00Z") == nil)
        #expect(Timestamp(rfc3339: "1900-02-29T00:00:00Z") == nil)
        #expect(Timestamp(rfc3339: "2100-02-29T00:00:00Z") == nil)
        #expect(Timestamp(rfc3339: "2024-02-30T00:00:00Z") == nil)
        #expect(Timestamp(rfc3339: "2024-02-29T12:00:00Z")?.microseconds == micros(2024, 2, 29, 12))
        #expect(Timestamp(rfc3339: "2024-03-01T00:00:00Z")?.microseconds == micros(2024, 2, 29)! + 86_400_000_000)
    }

    @Test("API-26: out-of-range fields are rejected")
    func fieldRanges() {
        let invalid = [
            "2024-00-01T00:00:00Z", "2024-13-01T00:00:00Z", "2024-01-00T00:00:00Z", "2024-01-32T00:00:00Z",
            "2024-04-31T00:00:00Z", "2024-06-31T00:00:00Z", "2024-09-31T00:00:00Z", "2024-11-31T00:00:00Z",
            "2024-01-01T24:00:00Z", "2024-01-01T00:60:00Z", "2024-01-01T00:00:60Z", "2024-12-31T23:59:60Z",
            "2024-01-01T00:00:00+24:00", "2024-01-01T00:00:00+00:60", "0000-01-01T00:00:00Z",
        ]
        for text in invalid {
            #expect(Timestamp(rfc3339: text) == nil, "\(text)")
        }
        #expect(Timestamp(rfc3339: "2024-01-31T23:59:59Z") != nil)
        #expect(Timestamp(rfc3339: "2024-12-31T23:59:59.999999Z") != nil)
    }

    @Test("API-26: malformed syntax is rejected")
    func malformed() {
        let invalid = [
            "", "2024-05-01", "2024-05-01T13:02:03", "2024-05-01 13:02:03Z", " 2024-05-01T13:02:03Z",
            "2024-05-01T13:02:03Z ", "2024-05-01T13:02:03Z\n", "2024-5-01T13:02:03Z", "24-05-01T13:02:03Z",
            "2024-05-01T13:2:03Z", "2024-05-01T13:02:3Z", "2024-05-01T13:02Z", "2024-05-01T13:02:03.Z",
            "2024-05-01T13:02:03,5Z", "2024-05-01T13:02:03.5", "2024-05-01T13:02:03+0200",
            "2024-05-01T13:02:03+02", "2024-05-01T13:02:03+2:00", "2024-05-01T13:02:03UTC",
            "2024-05-01T13:02:03.12a4Z", "+2024-05-01T13:02:03Z", "2024/05/01T13:02:03Z",
            "2024-05-01T13:02:03ZZ", "2024-05-01X13:02:03Z", "２０２４-05-01T13:02:03Z", "2024-05-01T13:02:03.１Z",
        ]
        for text in invalid {
            #expect(Timestamp(rfc3339: text) == nil, "\(text)")
        }
    }

    @Test("Years 0001 and 9999 are the bounds, also after applying the offset")
    func bounds() {
        #expect(Timestamp(rfc3339: "0001-01-01T00:00:00Z") == Timestamp.minimum)
        #expect(Timestamp(rfc3339: "9999-12-31T23:59:59.999999Z") == Timestamp.maximum)
        #expect(Timestamp(rfc3339: "9999-12-31T23:59:59.9999999Z") == Timestamp.maximum)
        #expect(Timestamp(rfc3339: "0001-01-01T00:30:00+01:00") == nil)  // 0000-12-31 in UTC
        #expect(Timestamp(rfc3339: "9999-12-31T23:30:00-01:00") == nil)  // 10000-01-01 in UTC
        #expect(Timestamp(rfc3339: "0001-01-01T01:00:00+01:00") == Timestamp.minimum)
        #expect(Timestamp.minimum.apiString == "0001-01-01T00:00:00.000000Z")
        #expect(Timestamp.maximum.apiString == "9999-12-31T23:59:59.999999Z")
        #expect(Timestamp(checkedMicroseconds: Timestamp.minimum.microseconds - 1) == nil)
        #expect(Timestamp(checkedMicroseconds: Timestamp.maximum.microseconds + 1) == nil)
        #expect(Timestamp.maximum.adding(microseconds: 1) == nil)
        #expect(Timestamp.minimum.adding(microseconds: -1) == nil)
        #expect(Timestamp.minimum.adding(microseconds: 1)?.microseconds == Timestamp.minimum.microseconds + 1)
    }

    @Test("DOM-3: Go zero time is recognized, in any spelling of the same instant")
    func goZeroTime() {
        #expect(Timestamp(rfc3339: "0001-01-01T00:00:00Z")?.isGoZeroTime == true)
        #expect(Timestamp(rfc3339: "0001-01-01T00:00:00.000000000Z")?.isGoZeroTime == true)
        #expect(Timestamp(rfc3339: "0001-01-01t00:00:00z")?.isGoZeroTime == true)
        #expect(Timestamp(rfc3339: "0001-01-01T00:00:00.000001Z")?.isGoZeroTime == false)
        #expect(Timestamp(rfc3339: "2024-05-01T13:02:03Z")?.isGoZeroTime == false)
        #expect(Timestamp.minimum.microseconds == -62_135_596_800_000_000)
    }

    @Test("API-48: query dates accept YYYY-MM-DD (midnight UTC) and RFC 3339")
    func queryDates() {
        #expect(Timestamp(queryDate: "2024-05-01")?.microseconds == micros(2024, 5, 1))
        #expect(Timestamp(queryDate: "2024-05-01T13:02:03Z")?.microseconds == micros(2024, 5, 1, 13, 2, 3))
        #expect(Timestamp(queryDate: "2024-05-01T13:02:03.5+01:00")?.microseconds == micros(2024, 5, 1, 12, 2, 3, 500_000))
        #expect(Timestamp(queryDate: "2024-02-30") == nil)
        #expect(Timestamp(queryDate: "2024-5-1") == nil)
        #expect(Timestamp(queryDate: "2024-05-01 ") == nil)
        #expect(Timestamp(queryDate: "20240501") == nil)
        #expect(Timestamp(queryDate: "") == nil)
        #expect(Timestamp(queryDate: "0001-01-01")?.isGoZeroTime == true)
    }

    @Test("Substrings parse without conversion")
    func substrings() {
        let query = "date_time_after=2024-05-01&x"
        let value = query.split(separator: "=")[1].split(separator: "&")[0]
        #expect(Timestamp(queryDate: value)?.microseconds == micros(2024, 5, 1))
    }

    @Test("PostgreSQL text output: fraction 0-6 digits, +00 or +00:00")
    func postgresText() {
        let base = micros(2024, 5, 1, 13, 2, 3)!
        #expect(Timestamp(postgresText: "2024-05-01 13:02:03.123456+00")?.microseconds == base + 123_456)
        #expect(Timestamp(postgresText: "2024-05-01 13:02:03+00")?.microseconds == base)
        #expect(Timestamp(postgresText: "2024-05-01 13:02:03.5+00")?.microseconds == base + 500_000)
        #expect(Timestamp(postgresText: "2024-05-01 13:02:03.000001+00")?.microseconds == base + 1)
        #expect(Timestamp(postgresText: "2024-05-01 13:02:03.123456+00:00")?.microseconds == base + 123_456)
        #expect(Timestamp(postgresText: "2024-05-01 15:02:03+02")?.microseconds == base)
        #expect(Timestamp(postgresText: "2024-05-01 18:32:03+05:30")?.microseconds == base)
        #expect(Timestamp(postgresText: "0001-01-01 00:00:00+00")?.isGoZeroTime == true)
        #expect(Timestamp(postgresText: "9999-12-31 23:59:59.999999+00") == Timestamp.maximum)
    }

    @Test("PostgreSQL text output: values outside the model are rejected")
    func postgresTextRejects() {
        let invalid = [
            "infinity", "-infinity", "2024-05-01 13:02:03", "2024-05-01T13:02:03+00", "2024-05-01 13:02:03Z",
            "0044-03-15 12:00:00+00 BC", "10000-01-01 00:00:00+00", "2024-05-01 13:02:03.+00", "",
            "2024-02-30 00:00:00+00", "2024-05-01 13:02:03+0",
        ]
        for text in invalid {
            #expect(Timestamp(postgresText: text) == nil, "\(text)")
        }
    }

    @Test("PostgreSQL text output from raw bytes (libpq cells)")
    func postgresRawBytes() {
        let cell = Array("2024-05-01 13:02:03.123456+00".utf8)
        let parsed = cell.withUnsafeBytes { Timestamp(postgresText: $0) }
        #expect(parsed?.microseconds == micros(2024, 5, 1, 13, 2, 3, 123_456))
        let empty: [UInt8] = []
        #expect(empty.withUnsafeBytes { Timestamp(postgresText: $0) } == nil)
    }

    @Test("Timestamps order by instant")
    func ordering() throws {
        let early = try #require(Timestamp(rfc3339: "2024-05-01T13:02:03.000001Z"))
        let late = try #require(Timestamp(rfc3339: "2024-05-01T14:02:03+01:00"))
        #expect(early > late)
        #expect(Timestamp.minimum < early)
        #expect([early, late, Timestamp.maximum].sorted() == [late, early, Timestamp.maximum])
    }
}
