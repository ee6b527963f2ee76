import Postgres
import Testing

/// PGQuery composition, without a database.
@Suite struct QueryBuildingTests {
    @Test func interpolatedValuesBecomeNumberedPlaceholders() {
        let name = "x'; DROP TABLE t; --"
        let query: PGQuery = "SELECT * FROM t WHERE name = \(name) AND size > \(42)"
        #expect(query.sql == "SELECT * FROM t WHERE name = $1 AND size > $2")
        #expect(query.bindings.count == 2)
    }

    @Test func appendRenumbersTheOtherQuerysParameters() {
        var query: PGQuery = "SELECT * FROM t WHERE a = \(1)"
        let filter: PGQuery = " AND b = \("x") AND c = \(Int64(3))"
        query.append(filter)
        query.appendUnescaped(" ORDER BY a")
        #expect(query.sql == "SELECT * FROM t WHERE a = $1 AND b = $2 AND c = $3 ORDER BY a")
        #expect(query.bindings.count == 3)
    }

    @Test func nestedFragmentsAreRenumberedToo() {
        let inner: PGQuery = "x = \(1) OR y = \(2)"
        let query: PGQuery = "SELECT \(0) WHERE \(inner) AND z = \(3) ORDER BY \(unescaped: "z")"
        #expect(query.sql == "SELECT $1 WHERE x = $2 OR y = $3 AND z = $4 ORDER BY z")
        #expect(query.bindings.count == 4)
    }

    @Test func appendBindingAddsOnePlaceholder() {
        var query: PGQuery = "SELECT "
        query.appendBinding("a")
        query.appendUnescaped(", ")
        query.appendBinding(Optional<Int>.none)
        #expect(query.sql == "SELECT $1, $2")
    }

    @Test func aLiteralWithoutInterpolationsHasNoParameters() {
        let query: PGQuery = "SELECT '$1'"
        #expect(query.sql == "SELECT '$1'")
        #expect(query.bindings.count == 0)
    }

    @Test func validMigrationNames() {
        // OPS-30: ^[0-9]{4}_[^/]+\.sql$
        for name in ["0001_initial.sql", "9999_x.sql", "0002_a.b.sql", "0003_with space.sql"] {
            #expect(Migration.isValidName(name), "\(name)")
        }
        for name in ["001_x.sql", "00001_x.sql", "0001-x.sql", "0001_.sql", "0001_x.SQL", "0001_a/b.sql",
                     "abcd_x.sql", "0001_x.sql.txt", "README.md", ""] {
            #expect(!Migration.isValidName(name), "\(name)")
        }
    }
}
