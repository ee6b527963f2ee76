/// Paging and counting of a list request (api-v2.md API-41, API-43, API-44).
public struct ListParameters: Sendable {
    public let page: Int
    public let perPage: Int
    /// `count=false` skips the count (for very large tables, API-44).
    public let wantsCount: Bool
    /// The `sort` value as sent (validated by each list), nil when absent.
    public let sort: String?
    /// The number of the page before the one asked for, in decimal (API-42's `previous`), nil on
    /// page 1. Text, so that it is exact for a page number of any size, where `page` is held at
    /// `maximumPage`.
    public let previousPage: String?

    /// Far past any table; (page - 1) × 1000 + anything a list adds stays far below Int.max.
    public static let maximumPage = 1_000_000_000_000

    /// The names every list accepts besides its filters.
    public static let names: Set<String> = ["page", "per_page", "sort", "count"]

    /// - Parameter emptyMeansAbsent: the HTML view's forms send every control, an unused one empty;
    ///   the API takes `page=` or `per_page=` for what it is, a value that is not an integer (API-41,
    ///   API-44, API-46: 400).
    public static func parse(_ query: FilterValues, defaultPerPage: Int = 10,
                             emptyMeansAbsent: Bool = false) throws(RegistryError) -> ListParameters {
        func value(_ name: String) -> String? {
            guard let text = query.first(name) else { return nil }
            return emptyMeansAbsent && text.isEmpty ? nil : text
        }
        var page = 1
        var previousPage: String?
        if let text = value("page") {
            guard text.allSatisfy(\.isASCIIDigit), text.contains(where: { $0 != "0" }) else {
                throw .badRequest("page must be a positive integer")
            }
            // A positive integer of any size is a page (past the end: empty results), not a
            // malformed one; it is held at `maximumPage` so that no offset arithmetic on it can
            // overflow (an overflow traps and would stop the whole process).
            page = min(Int(text) ?? Int.max, maximumPage)
            previousPage = decrementedDecimal(text)
        }
        var perPage = defaultPerPage
        if let text = value("per_page") {
            guard let value = Int(text), (1...1000).contains(value), text.allSatisfy(\.isASCIIDigit) else {
                throw .badRequest("per_page must be between 1 and 1000")
            }
            perPage = value
        }
        var wantsCount = true
        if let text = value("count") {
            guard let flag = Bool(exactly: text) else { throw .badRequest("count must be true or false") }
            wantsCount = flag
        }
        let sort = value("sort")
        return ListParameters(page: page, perPage: perPage, wantsCount: wantsCount, sort: sort, previousPage: previousPage)
    }

    /// `digits` (a positive decimal integer, leading zeros allowed) minus one, without leading
    /// zeros; nil when `digits` is 1.
    static func decrementedDecimal(_ digits: String) -> String? {
        var result = Array(digits.drop(while: { $0 == "0" }))
        guard result != ["1"] else { return nil }
        var index = result.count - 1
        while result[index] == "0" {
            result[index] = "9"
            index -= 1
        }
        result[index] = Character(String(result[index].wholeNumberValue! - 1))
        return String(result.drop(while: { $0 == "0" }))
    }

    /// Rows to skip; pages beyond Int range cannot be asked for (page ≤ Int.max / 1000 is plenty).
    public var offset: Int {
        let (product, overflow) = (page - 1).multipliedReportingOverflow(by: perPage)
        return overflow ? Int.max / 2 : product
    }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}

extension Bool {
    /// API-48: booleans are exactly `true` or `false`.
    public init?(exactly text: String) {
        switch text {
        case "true": self = true
        case "false": self = false
        default: return nil
        }
    }
}
