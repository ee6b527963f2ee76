import Foundation
import Postgres
import Testing
import TestSupport

@Suite struct TestPostgresFixtureTests {
    @Test func freshDatabasesAreEmptyAndDistinct() throws {
        let first = try TestPostgres.freshDatabase()
        let second = try TestPostgres.freshDatabase(prefix: "other")
        #expect(first != second)
        let connection = try TestSQLConnection(conninfo: first)
        #expect(try connection.scalar("SELECT current_database()") != nil)
        #expect(try connection.scalar("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'") == "0")
    }
}
