import RegistryAPI
import Testing

/// api-v2.md API-81: the [Compat] GETs that change data are exactly #10, #20, #47–#50 and the
/// member API's GET on #7/#17; all but #10, #20 and #49 say `Deprecation: true`.
@Suite("API-81: state-changing GETs in the route table")
struct StateChangingGetTests {
    @Test("the routes whose GET changes data, and the deprecated ones, are exactly those the spec lists")
    func exactlyTheListedRoutes() {
        let changing = Set(APIRouteTable.all.filter(\.getChangesData).map(\.name))
        #expect(changing == ["objects.finish_delete", "files.finish_delete", "notifications.failed_fixity",
                             "notifications.successful_restoration", "notifications.spot_test_restoration",
                             "notifications.deletion", "objects.restore", "files.restore"])
        let deprecated = Set(APIRouteTable.all.filter(\.getIsDeprecated).map(\.name))
        #expect(deprecated == ["notifications.failed_fixity", "notifications.successful_restoration",
                               "notifications.deletion", "objects.restore", "files.restore"])
    }
}
