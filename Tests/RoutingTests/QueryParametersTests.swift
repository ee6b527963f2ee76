import Routing
import Testing

@Suite("Query parameters")
struct QueryParametersTests {
    private func parse(_ raw: String?) throws(QueryDecodingError) -> QueryParameters {
        try QueryParameters(rawQuery: raw.map { $0[...] })
    }

    @Test("no query and an empty query have no items (API-48)")
    func emptyQuery() throws {
        #expect(try parse(nil).items.isEmpty)
        #expect(try parse("").items.isEmpty)
        #expect(try parse("&&").items.isEmpty)
    }

    @Test("form decoding of names and values: + is a space, %2B is + (API-48)")
    func formDecoding() throws {
        let query = try parse("sort=datetime+DESC&item_action=Glacier+Restore&name_like=a%2Bb&%73tate=A")
        #expect(query.first("sort") == "datetime DESC")
        #expect(query.first("item_action") == "Glacier Restore")
        #expect(query.first("name_like") == "a+b")
        #expect(query.first("state") == "A")
        #expect(query.items[3].rawName == "%73tate")
    }

    @Test("repeated keys are kept in order (API-45a)")
    func repeatedKeys() throws {
        let query = try parse("status=Failed&page=2&status=Pending&status=")
        #expect(query.values("status") == ["Failed", "Pending", ""])
        #expect(query.first("status") == "Failed")
        #expect(query.count(of: "status") == 3)
        #expect(query.count(of: "page") == 1)
        #expect(query.count(of: "missing") == 0)
        #expect(query.names == ["status", "page"])
        #expect(query.values("missing").isEmpty)
        #expect(query.first("missing") == nil)
    }

    @Test("a name without = has the value \"\"; empty pieces are skipped")
    func emptyValues() throws {
        let query = try parse("&count&a=&&b=1&")
        #expect(query.items.map(\.name) == ["count", "a", "b"])
        #expect(query.first("count") == "")
        #expect(query.contains("count"))
        #expect(query.first("a") == "")
        #expect(query.first("b") == "1")
        #expect(query.items[0].rawValue.isEmpty)
    }

    @Test("& and = separate as bytes even before a combining mark")
    func byteLevelSeparators() throws {
        let query = try parse("a=1&\u{301}b=\u{301}")
        #expect(query.items.map(\.name) == ["a", "\u{301}b"])
        #expect(query.first("\u{301}b") == "\u{301}")
    }

    @Test("only the first = splits name from value")
    func valueWithEquals() throws {
        let query = try parse("token=a=b==")
        #expect(query.first("token") == "a=b==")
    }

    @Test("API-42 example: links keep every other parameter in order and raw encoding")
    func linkQuery() throws {
        let query = try parse("not_checked_since=2024-01-01T00:00:00Z&storage_option=Standard&sort=last_fixity_check&per_page=2")
        #expect(query.rawQuery(excluding: ["page", "per_page"])
                == "not_checked_since=2024-01-01T00:00:00Z&storage_option=Standard&sort=last_fixity_check")
    }

    @Test("link queries keep raw escapes, + and repeats, and drop page/per_page wherever they are")
    func linkQueryRaw() throws {
        let query = try parse("page=3&name_like=a%20b+c&state=A&&per_page=5&state=D&flag&per%5Fpage=9")
        #expect(query.rawQuery(excluding: ["page", "per_page"]) == "name_like=a%20b+c&state=A&state=D&flag")
        #expect(try parse("page=2").rawQuery(excluding: ["page", "per_page"]) == "")
    }

    @Test("a value that cannot be decoded names its parameter")
    func badValue() {
        #expect(throws: QueryDecodingError(parameterName: "name_like", failure: .malformedEscape)) {
            try parse("state=A&name_like=%zz")
        }
        #expect(throws: QueryDecodingError(parameterName: "identifier", failure: .invalidUTF8)) {
            try parse("identifier=%C3%28")
        }
        #expect(throws: QueryDecodingError(parameterName: "x y", failure: .containsNUL)) {
            try parse("x+y=%00")
        }
        let error = QueryDecodingError(parameterName: "name_like", failure: .malformedEscape)
        #expect(error.message == "invalid percent-encoding in query parameter name_like")
    }

    @Test("a name that cannot be decoded is reported as sent")
    func badName() {
        #expect(throws: QueryDecodingError(parameterName: "na%zzme", failure: .malformedEscape)) {
            try parse("na%zzme=1")
        }
    }

    @Test("form bodies: a piece that cannot be decoded is left out, the others are kept in order")
    func droppingUndecodable() throws {
        let form = QueryParameters(rawQueryDroppingUndecodable: "a=1&next=%2Fx%00&b=%ZZ&c=caf%C3%A9&d=%FF")
        #expect(form.items.map(\.name) == ["a", "c"])
        #expect(form.first("c") == "café")
        #expect(form.first("next") == nil)
        #expect(QueryParameters(rawQueryDroppingUndecodable: nil).items.isEmpty)
    }
}
