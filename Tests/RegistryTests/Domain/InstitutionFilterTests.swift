import Postgres
import RegistryCore
import Testing

/// API-45a / API-49: the one reading of the `institution` list filter (`institution`, its alias
/// `institution_identifier`, and `institution_id` where a list takes it).
@Suite("Institution filter")
struct InstitutionFilterTests {
    private func filters(_ pairs: [(String, String)]) -> ListFilters {
        ListFilters(FilterValues(pairs.map { FilterValues.Item(name: $0.0, value: $0.1) }))
    }

    @Test("API-45a: identifiers and numeric ids from every name, empty values ignored")
    func values() throws {
        let given = filters([("institution", "test.edu"), ("institution", "7"), ("institution_identifier", "b.org"),
                             ("institution", ""), ("institution_id", "9")])
        let filter = try InstitutionFilter(given, names: ["institution", "institution_identifier"], idName: "institution_id")
        #expect(filter.identifiers == ["test.edu", "b.org"])
        #expect(filter.ids == [7, 9])
        #expect(filter.distinctCount == 4)
        #expect(try InstitutionFilter(filters([("institution", "a.edu"), ("institution", "a.edu"), ("institution", "3")])).distinctCount == 2)
        // A list without `institution_id` does not read it.
        #expect(try InstitutionFilter(given).ids == [7])
        #expect(try InstitutionFilter(filters([("institution", "")])).isEmpty)
    }

    @Test("API-45: institution_id takes numeric ids only (400 naming it)")
    func institutionIDMustBeNumeric() {
        #expect(throws: RegistryError.badRequest("invalid integer for institution_id: test.edu")) {
            try InstitutionFilter(self.filters([("institution_id", "test.edu")]), idName: "institution_id")
        }
    }

    @Test("one value stays an equality (index use); several are any of; none is no condition")
    func conditionShapes() throws {
        #expect(try InstitutionFilter(filters([])).condition(column: "w.institution_id") == nil)
        let one = try #require(try InstitutionFilter(filters([("institution", "3")])).condition(column: "w.institution_id"))
        #expect(one.sql == "w.institution_id = $1")
        let named = try #require(try InstitutionFilter(filters([("institution", "test.edu")]))
            .condition(column: "f.institution_id"))
        #expect(named.sql == "f.institution_id = (SELECT id FROM institutions WHERE identifier = $1)")
        let several = try #require(try InstitutionFilter(filters([("institution", "test.edu"), ("institution", "3")]))
            .condition(column: "d.institution_id"))
        #expect(several.sql == "d.institution_id = ANY(ARRAY(SELECT id FROM institutions WHERE identifier = ANY($1) OR id = ANY($2)))")
    }
}
