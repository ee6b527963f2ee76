import Foundation
import TestSupport

/// Compares each answer with the model's prediction and collects every disagreement.
struct MatrixReport {
    static let forbiddenMessage = "you are not authorized to do this"
    static let unauthenticatedMessage = "invalid API credentials"

    let listCheck: MatrixListCheck
    private(set) var failures: [String] = []
    private(set) var countsByExpectation: [String: Int] = [:]
    /// 404 answers by (job group, reason): their bodies and headers with the named identifier blanked.
    private var notFound: [String: [(signature: String, target: String)]] = [:]
    /// Every 401 answer's body and headers (API-12: identical for every cause).
    private var unauthenticated: [String: String] = [:]

    init(listCheck: MatrixListCheck) {
        self.listCheck = listCheck
    }

    mutating func check(_ job: MatrixJob, _ outcome: MatrixOutcome) {
        let name = "\(job.method) \(job.path) as \(job.caller.kind.rawValue) [\(job.row.label)]"
        guard case .response(let response) = outcome else {
            if case .failed(let error) = outcome { failures.append("\(name): no response: \(error)") }
            return
        }
        let expected = job.row.expectation(for: job.caller, target: job.target)
        let got = "got \(response.status) \(response.text.prefix(200))"
        // API-7: HEAD answers as GET does, without the body whose message the other checks read.
        let head = job.method == "HEAD"
        switch expected {
        case .unauthenticated:
            count("401")
            if response.status != 401 || (!head && response.message != Self.unauthenticatedMessage) {
                failures.append("\(name): expected 401 `\(Self.unauthenticatedMessage)`, \(got)")
            }
            if !head { unauthenticated[signature(response, blanking: []), default: name] = name }
        case .notFound(let reason):
            count("404")
            guard response.status == 404 else {
                failures.append("\(name): expected 404 (\(reason) not visible), \(got)")
                return
            }
            notFound["\(job.groupKey)|\(reason)", default: []].append(
                (signature(response, blanking: Self.names(of: job.target)), job.target.label))
        case .forbidden:
            count("403")
            if response.status != 403 || (!head && response.message != Self.forbiddenMessage) {
                failures.append("\(name): expected 403 `\(Self.forbiddenMessage)`, \(got)")
            }
        case .passed(let visible):
            count("passed")
            if job.unknownParameter {
                let message = "unknown query parameter: \(MatrixJob.unknownParameterName)"
                if response.status != 400 || (!head && response.message != message) {
                    failures.append("\(name): expected 400 `\(message)`, \(got)")
                }
                return
            }
            let passes = job.row.passes(for: job.caller)
            guard passes.contains(response.status) else {
                failures.append("\(name): expected one of \(passes.sorted()), \(got)")
                return
            }
            if response.status == 200 && !head {
                for problem in listCheck.problems(job.row, caller: job.caller, target: job.target, visible: visible,
                                                  response: response) {
                    failures.append("\(name): \(problem)")
                }
            }
        }
    }

    /// DOM-96a: within one route, method, prefix and caller, every 404 for the same reason has the
    /// same body (but for the identifier it names) and the same headers — the one for a record that
    /// does not exist among them. API-12: every 401 is the same answer.
    mutating func compareAnswers() {
        for (group, answers) in notFound.sorted(by: { $0.key < $1.key }) {
            let distinct = Dictionary(grouping: answers, by: \.signature)
            if distinct.count > 1 {
                let variants = distinct.map { "\($0.value.map(\.target)): \($0.key)" }.sorted().joined(separator: "\n    ")
                failures.append("\(group): 404 answers differ:\n    \(variants)")
            }
        }
        if unauthenticated.count > 1 {
            failures.append("401 answers differ:\n    " + unauthenticated.map { "\($0.value): \($0.key)" }.sorted().joined(separator: "\n    "))
        }
    }

    var summary: String {
        countsByExpectation.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: ", ")
    }

    private mutating func count(_ key: String) {
        countsByExpectation[key, default: 0] += 1
    }

    /// The body plus every header except those that differ between any two responses.
    private func signature(_ response: TestHTTPResponse, blanking names: [String]) -> String {
        var body = response.text
        for name in names where !name.isEmpty {
            body = body.replacingOccurrences(of: name, with: "{named}")
        }
        let varying: Set<String> = ["date", "x-request-id", "content-length"]
        let headers = response.headers.fields.filter { !varying.contains($0.name.lowercased()) }
            .map { "\($0.name.lowercased()): \($0.value)" }.sorted()
        return "\(response.status) \(body) | \(headers.joined(separator: "; "))"
    }

    /// What a target's 404 message may quote, longest first (a file identifier contains its object's).
    private static func names(of target: MatrixTarget) -> [String] {
        let texts = [target.fileIdentifier, target.objectIdentifier, target.eventIdentifier, target.institutionIdentifier]
        let ids = [target.institutionID, target.objectID, target.fileID, target.checksumID, target.itemID, target.stateID, target.deletionID,
                   target.bulkDeletionID, target.notificationID].filter { $0 > 0 }.map(String.init)
        return texts + ids.sorted { $0.count > $1.count }
    }
}
