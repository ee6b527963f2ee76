/// A UTC calendar date and time of day (proleptic Gregorian), the broken-down form of a `Timestamp`.
///
/// Conversions use Howard Hinnant's `days_from_civil` / `civil_from_days` integer algorithms
/// (http://howardhinnant.github.io/date_algorithms.html): exact for every date, no tables, no
/// floating point, no Foundation calendar.
public struct CivilDateTime: Hashable, Sendable {
    public var year: Int
    /// 1–12.
    public var month: Int
    /// 1–31.
    public var day: Int
    /// 0–23.
    public var hour: Int
    /// 0–59.
    public var minute: Int
    /// 0–59 (no leap seconds).
    public var second: Int
    /// 0–999_999.
    public var microsecond: Int

    /// Stores the fields as given; see `isValid`.
    public init(year: Int, month: Int, day: Int, hour: Int = 0, minute: Int = 0, second: Int = 0, microsecond: Int = 0) {
        self.year = year
        self.month = month
        self.day = day
        self.hour = hour
        self.minute = minute
        self.second = second
        self.microsecond = microsecond
    }

    /// Splits a timestamp into its UTC calendar fields.
    public init(_ timestamp: Timestamp) {
        let (days, microOfDay) = floorDivide(timestamp.microseconds, by: Timestamp.microsecondsPerDay)
        let (year, month, day) = civilFromDays(days)
        let secondOfDay = Int(microOfDay / 1_000_000)
        self.init(
            year: year, month: month, day: day,
            hour: secondOfDay / 3600, minute: secondOfDay / 60 % 60, second: secondOfDay % 60,
            microsecond: Int(microOfDay % 1_000_000))
    }

    /// True when every field is in range for years 0001–9999 (days checked against the month,
    /// with leap years).
    public var isValid: Bool {
        (1...9999).contains(year) && (1...12).contains(month)
            && day >= 1 && day <= daysInMonth(year: year, month: month)
            && (0...23).contains(hour) && (0...59).contains(minute) && (0...59).contains(second)
            && (0...999_999).contains(microsecond)
    }

    /// Microseconds since 1970-01-01T00:00:00Z; meaningful only for valid fields.
    var microsecondsSinceEpoch: Int64 {
        let days = daysFromCivil(year: year, month: month, day: day)
        let seconds = Int64(hour * 3600 + minute * 60 + second)
        return days * Timestamp.microsecondsPerDay + seconds * 1_000_000 + Int64(microsecond)
    }
}

/// Whether `year` is a Gregorian leap year.
func isLeapYear(_ year: Int) -> Bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
}

/// Number of days in `month` (1–12) of `year`.
func daysInMonth(year: Int, month: Int) -> Int {
    switch month {
    case 2: return isLeapYear(year) ? 29 : 28
    case 4, 6, 9, 11: return 30
    default: return 31
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Hinnant's `days_from_civil`).
func daysFromCivil(year: Int, month: Int, day: Int) -> Int64 {
    let y = Int64(month <= 2 ? year - 1 : year)
    let era = (y >= 0 ? y : y - 399) / 400
    let yearOfEra = y - era * 400  // 0...399
    let shiftedMonth = Int64(month > 2 ? month - 3 : month + 9)  // March = 0
    let dayOfYear = (153 * shiftedMonth + 2) / 5 + Int64(day) - 1  // 0...365
    let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear  // 0...146096
    return era * 146_097 + dayOfEra - 719_468
}

/// The proleptic Gregorian date of a day count since 1970-01-01 (Hinnant's `civil_from_days`).
func civilFromDays(_ days: Int64) -> (year: Int, month: Int, day: Int) {
    let z = days + 719_468
    let era = (z >= 0 ? z : z - 146_096) / 146_097
    let dayOfEra = z - era * 146_097  // 0...146096
    let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365  // 0...399
    let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)  // 0...365
    let shiftedMonth = (5 * dayOfYear + 2) / 153  // March = 0
    let day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1
    let month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9
    let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
    return (Int(year), Int(month), Int(day))
}

/// Quotient rounded toward negative infinity and the matching non-negative remainder, so instants
/// before 1970 split into the right day and time of day.
func floorDivide(_ value: Int64, by divisor: Int64) -> (quotient: Int64, remainder: Int64) {
    let (quotient, remainder) = value.quotientAndRemainder(dividingBy: divisor)
    return remainder < 0 ? (quotient - 1, remainder + divisor) : (quotient, remainder)
}
