import Testing
@testable import RegistryCore

/// API-41/API-42: the page asked for and the `previous` page named in the envelope.
@Suite("Lists: page parameters")
struct ListParametersTests {
    private func parse(page: String) throws -> ListParameters {
        try ListParameters.parse(FilterValues([FilterValues.Item(name: "page", value: page)]))
    }

    @Test("previous is the page asked for minus one, exact past Int and past maximumPage; nil on page 1")
    func previousPage() throws {
        #expect(try parse(page: "1").previousPage == nil)
        #expect(try parse(page: "0001").previousPage == nil)
        #expect(try parse(page: "2").previousPage == "1")
        #expect(try parse(page: "10").previousPage == "9")
        #expect(try parse(page: "0100").previousPage == "99")
        #expect(try parse(page: "2000000000000").previousPage == "1999999999999")
        #expect(try parse(page: "2000000000000").page == ListParameters.maximumPage)
        #expect(try parse(page: "100000000000000000000000000").previousPage == "99999999999999999999999999")
    }

    @Test("page 0 and non-digits are refused")
    func invalidPages() {
        for page in ["0", "000", "-1", "1.5", "x"] {
            #expect(throws: RegistryError.self, "\(page)") { try parse(page: page) }
        }
    }

    @Test("API-41/44/46: an empty page, per_page or count is no integer or boolean (400); the HTML view's forms read it as absent")
    func emptyValues() throws {
        for name in ["page", "per_page", "count"] {
            let query = FilterValues([FilterValues.Item(name: name, value: "")])
            #expect(throws: RegistryError.self, "\(name)") { try ListParameters.parse(query) }
            let lenient = try ListParameters.parse(query, emptyMeansAbsent: true)
            #expect(lenient.page == 1 && lenient.perPage == 10 && lenient.wantsCount)
        }
        let sort = FilterValues([FilterValues.Item(name: "sort", value: "")])
        #expect(try ListParameters.parse(sort).sort == "")
        #expect(try ListParameters.parse(sort, emptyMeansAbsent: true).sort == nil)
    }
}
