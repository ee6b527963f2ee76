import Foundation
import HTTPServer
import RegistryAPI
import Testing
import TestSupport

/// The exhaustive permission matrix of issue 4: every API route × caller × target institution ×
/// access level, each answer compared with a small model of domain.md §7 (DOM-90..97, DOM-96a/b)
/// and api-v2.md §2 (API-10..13), §9 (R and M columns, API-80) and §6.
@Suite("Permission matrix: routes × callers × institutions × access levels")
struct RouteMatrixTests {
    @Test("issue 4: the matrix table covers every route of APIRouteTable.all and names no other")
    func coverage() {
        let routes = Set(APIRouteTable.all.map(\.name))
        let covered = Set(MatrixTable.all.map(\.route))
        #expect(routes.subtracting(covered).isEmpty, "routes the matrix does not cover: \(routes.subtracting(covered).sorted())")
        #expect(covered.subtracting(routes).isEmpty, "matrix rows naming no route: \(covered.subtracting(routes).sorted())")
        for row in MatrixTable.all {
            let methods = Set(APIRouteTable.all.first { $0.name == row.route }?.methods.map(\.description) ?? [])
            #expect(Set(row.methods).isSubset(of: methods), "\(row.label): methods \(row.methods) not all on the route (\(methods.sorted()))")
        }
    }

    @Test("domain.md §7 / DOM-96a / DOM-96b / DOM-97 / API-12: every route × caller × target answers as the spec predicts")
    func matrix() throws {
        let building = Date()
        let world = try MatrixWorld.start()
        let built = Date().timeIntervalSince(building)
        let jobs = Self.jobs(world)
        let started = Date()
        // Two connections keep the server's two cores busy; more only queue, and slow the timing
        // tests that run beside this one.
        let outcomes = MatrixRunner.run(jobs, registry: world.registry, connections: 2)
        let seconds = Date().timeIntervalSince(started)
        let byID = Dictionary(uniqueKeysWithValues: world.institutionIDs.map { (Int($0.value), $0.key) })
        var report = MatrixReport(listCheck: MatrixListCheck(institutionsByID: byID))
        for (job, outcome) in zip(jobs, outcomes) {
            report.check(job, outcome)
        }
        report.compareAnswers()
        let checked = Date().timeIntervalSince(started) - seconds
        Self.dump(jobs, outcomes)
        let rows = MatrixTable.all
        print("""
            permission matrix: \(rows.count) rows over \(Set(rows.map(\.route)).count) routes × \(world.callers.count) callers × \
            up to \(world.cells.count + world.spares.count + 1) targets (\(MatrixWorld.institutions.count) institutions × \
            \(MatrixWorld.accessLevels.count) access levels, spares, unknown) = \(jobs.count) requests in \
            \(String(format: "%.1f", seconds)) s (world built in \(String(format: "%.1f", built)) s, answers checked in \
            \(String(format: "%.1f", checked)) s); \(report.summary)
            """)
        let failures = report.failures + (try Self.auditedRefusals(world, jobs, outcomes))
            + (try Self.memberAbsence(world))
        for failure in failures {
            print("matrix disagreement: \(failure)")
        }
        for failure in failures.prefix(80) {
            Issue.record(Comment(rawValue: failure))
        }
        #expect(failures.isEmpty, "\(failures.count) disagreements with the model")
        // The matrix stays fast enough to run with the rest of the suite (issue 4: about a minute).
        #expect(seconds < 120)
    }

    /// DOM-83: a 403 writes an `authz.denied` row (rate-limited), a 404 answered under DOM-96a none;
    /// an authentication failure writes `api_auth.failure` rows without an actor.
    static func auditedRefusals(_ world: MatrixWorld, _ jobs: [MatrixJob], _ outcomes: [MatrixOutcome]) throws -> [String] {
        var refused = Set<String>()
        for (job, outcome) in zip(jobs, outcomes) {
            if case .response(let response) = outcome, response.status == 403 {
                refused.insert("\(job.caller.email) \(job.method) \(job.path.prefix { $0 != "?" })")
            }
        }
        let sql = try world.registry.sql()
        let denials = try sql.query("SELECT actor_email, http_method, path, status FROM audit_log WHERE action = 'authz.denied'")
        var problems = denials.isEmpty ? ["no authz.denied audit row at all"] : []
        for denial in denials {
            let key = "\(denial[0] ?? "-") \(denial[1] ?? "-") \(denial[2] ?? "-")"
            if !refused.contains(key) || denial[3] != "403" { problems.append("authz.denied row for a request not refused with 403: \(key)") }
        }
        let badFailures = try sql.scalar(
            "SELECT count(*) FROM audit_log WHERE action = 'api_auth.failure' AND (actor_user_id IS NOT NULL OR status <> 401)")
        if badFailures != "0" { problems.append("\(badFailures ?? "?") api_auth.failure rows with an actor or a status other than 401") }
        return problems
    }

    /// API-80: a route without an M column is not served under `/member-api/v2` (404, or 405 where
    /// a member route has the same path): not even an admin reaches it there.
    static func memberAbsence(_ world: MatrixWorld) throws -> [String] {
        let routes = Dictionary(APIRouteTable.all.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        guard let admin = world.callers.first(where: { $0.kind == .admin }) else { return ["no admin caller"] }
        var jobs: [MatrixJob] = []
        for row in MatrixTable.all {
            let memberMethods = Set(routes[row.route]?.memberMethods.map(\.description) ?? [])
            guard let target = world.targets(row.targets).first else { continue }
            for method in row.methods where !memberMethods.contains(method) {
                jobs.append(MatrixJob(row: row, method: method, prefix: APIPipeline.memberPrefix, caller: admin, target: target))
            }
        }
        var problems: [String] = []
        for (job, outcome) in zip(jobs, MatrixRunner.run(jobs, registry: world.registry, connections: 2)) {
            guard case .response(let response) = outcome, [404, 405].contains(response.status) else {
                let got = if case .response(let response) = outcome { "\(response.status)" } else { "no response" }
                problems.append("\(job.method) \(job.path) [\(job.row.label)] is served under the member API: \(got)")
                continue
            }
        }
        return problems
    }

    /// With `MATRIX_DUMP=<file>`, every request with the prediction and the status it got (for
    /// reading the matrix, or a failure of it, by eye).
    static func dump(_ jobs: [MatrixJob], _ outcomes: [MatrixOutcome]) {
        guard let file = ProcessInfo.processInfo.environment["MATRIX_DUMP"] else { return }
        let lines = zip(jobs, outcomes).map { job, outcome in
            let status = if case .response(let response) = outcome { "\(response.status) \(response.text.prefix(120))" } else { "-" }
            return "\(job.row.label) | \(job.method) \(job.path) | \(job.caller.kind.rawValue) | \(job.target.label) | "
                + "\(job.row.expectation(for: job.caller, target: job.target)) | \(status)"
        }
        try? (lines.joined(separator: "\n") + "\n").write(toFile: file, atomically: true, encoding: .utf8)
    }

    /// Every row × its methods (and HEAD for reads) under `/api/v2` and, where the route has an M
    /// column, its member methods under `/member-api/v2` (the same rules apply, DOM-97) × every
    /// caller × its targets, each but HEAD also with an unknown query parameter.
    static func jobs(_ world: MatrixWorld) -> [MatrixJob] {
        let routes = Dictionary(APIRouteTable.all.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        var jobs: [MatrixJob] = []
        for row in MatrixTable.all {
            var sends = row.methods.map { ($0, APIPipeline.apiPrefix) }
            let member = routes[row.route]?.memberMethods.map(\.description) ?? []
            sends += member.map { ($0, APIPipeline.memberPrefix) }
            // API-7: HEAD wherever GET is (not on the [Compat] state-changing GETs, where it is a 405).
            if row.methods == ["GET"] {
                sends += [("HEAD", APIPipeline.apiPrefix)] + (member.contains("GET") ? [("HEAD", APIPipeline.memberPrefix)] : [])
            }
            for (method, prefix) in sends {
                // The variants (HEAD, an unknown parameter) only for the callers who authenticate
                // and one who does not: every cause of a 401 is already tried with the plain request.
                let mainCallers = world.callers.filter { $0.role != nil || $0.kind == .noCredentials }
                for caller in method == "HEAD" ? mainCallers : world.callers {
                    for target in world.targets(row.targets) {
                        jobs.append(MatrixJob(row: row, method: method, prefix: prefix, caller: caller, target: target))
                        // DOM-96b: the same request with an unknown parameter (authentication still comes first).
                        if (caller.role != nil || caller.kind == .noCredentials) && method != "HEAD" {
                            jobs.append(MatrixJob(row: row, method: method, prefix: prefix, caller: caller, target: target,
                                                  unknownParameter: true))
                        }
                    }
                }
            }
        }
        return jobs
    }
}

extension MatrixWorld {
    /// The targets of a row; `.none` still sends once (with the unknown target, which it does not use).
    func targets(_ set: MatrixTargetSet) -> [MatrixTarget] {
        switch set {
        case .none: [MatrixTarget.unknown]
        case .institutions: institutionTargets + [.unknown]
        case .cells: cells + [.unknown]
        case .cellsAndSpares: cells + spares + [.unknown]
        }
    }
}
