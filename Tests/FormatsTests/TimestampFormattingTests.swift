#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Formats
import Testing

/// Timestamp output forms and the civil-date conversion behind them.
@Suite struct TimestampFormattingTests {
    @Test("API format: exactly six fraction digits and Z (README conventions, AUD-41)")
    func apiFormat() throws {
        let time = try #require(Timestamp(rfc3339: "2024-05-01T13:02:03.1Z"))
        #expect(time.apiString == "2024-05-01T13:02:03.100000Z")
        #expect(Timestamp(microseconds: 0).apiString == "1970-01-01T00:00:00.000000Z")
        #expect(Timestamp(microseconds: 1).apiString == "1970-01-01T00:00:00.000001Z")
        #expect(Timestamp(microseconds: -1).apiString == "1969-12-31T23:59:59.999999Z")
        #expect(Timestamp(microseconds: 951_782_400_000_000).apiString == "2000-02-29T00:00:00.000000Z")
        var bytes = Array("x=".utf8)
        time.appendAPIFormat(to: &bytes)
        #expect(String(decoding: bytes, as: UTF8.self) == "x=2024-05-01T13:02:03.100000Z")
        #expect(time.description == time.apiString)
    }

    @Test("DOM-2: PostgreSQL literal always carries six fraction digits and +00")
    func postgresLiteral() throws {
        let time = try #require(Timestamp(rfc3339: "2024-05-01T15:02:03.123456789+02:00"))
        #expect(time.postgresLiteral == "2024-05-01 13:02:03.123456+00")
        #expect(Timestamp.minimum.postgresLiteral == "0001-01-01 00:00:00.000000+00")
        #expect(Timestamp.maximum.postgresLiteral == "9999-12-31 23:59:59.999999+00")
    }

    @Test("WEB-25: HTML display form")
    func htmlForm() throws {
        let time = try #require(Timestamp(rfc3339: "2024-05-01T13:02:03.999999Z"))
        #expect(time.htmlString == "2024-05-01 13:02:03 UTC")
    }

    @Test("AUD-11: compact form for export file names")
    func compactForm() throws {
        let time = try #require(Timestamp(rfc3339: "2024-05-01T13:02:03.5Z"))
        #expect(time.compactString == "20240501T130203Z")
    }

    @Test("Round trips: API string and PostgreSQL literal parse back to the same instant")
    func roundTrips() {
        let samples: [Int64] = [
            Timestamp.minimum.microseconds, Timestamp.maximum.microseconds, 0, -1, 1, 1_714_568_523_123_456,
            -2_208_988_800_000_001, 951_868_799_999_999, 4_107_542_400_000_000, -30_610_224_000_000_000,
        ]
        for micros in samples {
            let time = Timestamp(microseconds: micros)
            #expect(Timestamp(rfc3339: time.apiString) == time, "\(micros)")
            #expect(Timestamp(postgresText: time.postgresLiteral) == time, "\(micros)")
            #expect(Timestamp(queryDate: time.apiString) == time, "\(micros)")
        }
    }

    @Test("Civil conversion agrees with a day-by-day calendar walk over all of 0001-9999")
    func civilConversionExhaustive() {
        // Independent oracle: start at 0001-01-01 and advance one day at a time with the plain
        // month-length rule, checking both conversion directions for every day.
        var year = 1
        var month = 1
        var day = 1
        var dayNumber = Timestamp.minimum.microseconds / 86_400_000_000
        var mismatches = 0
        while year <= 9999 {
            let micros = dayNumber * 86_400_000_000 + 43_200_000_001
            let civil = CivilDateTime(Timestamp(microseconds: micros))
            if civil.year != year || civil.month != month || civil.day != day || civil.hour != 12
                || civil.microsecond != 1
            {
                mismatches += 1
            }
            let back = Timestamp(CivilDateTime(year: year, month: month, day: day, hour: 12, microsecond: 1))
            if back?.microseconds != micros {
                mismatches += 1
            }
            dayNumber += 1
            day += 1
            let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
            let length = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
            if day > length {
                day = 1
                month += 1
                if month > 12 {
                    month = 1
                    year += 1
                }
            }
        }
        #expect(mismatches == 0)
        #expect(dayNumber * 86_400_000_000 == Timestamp.maximum.microseconds + 1)
    }

    @Test("CivilDateTime validation")
    func civilValidation() {
        #expect(CivilDateTime(year: 2024, month: 2, day: 29).isValid)
        #expect(!CivilDateTime(year: 2023, month: 2, day: 29).isValid)
        #expect(!CivilDateTime(year: 10000, month: 1, day: 1).isValid)
        #expect(!CivilDateTime(year: 2024, month: 1, day: 1, microsecond: 1_000_000).isValid)
        #expect(Timestamp(CivilDateTime(year: 2024, month: 4, day: 31)) == nil)
    }

    @Test("now() is the current wall-clock time")
    func now() {
        // Not time(nil): on Linux it reads the coarse clock, which can still show the previous
        // second when the precise clock has passed it (this test failed once that way).
        func wallClockMicroseconds() -> Int64 {
            var spec = timespec()
            clock_gettime(CLOCK_REALTIME, &spec)
            return Int64(spec.tv_sec) * 1_000_000 + Int64(spec.tv_nsec) / 1000
        }
        let before = wallClockMicroseconds()
        let stamp = Timestamp.now()
        let after = wallClockMicroseconds()
        #expect(stamp.microseconds >= before)
        #expect(stamp.microseconds <= after)
    }
}
