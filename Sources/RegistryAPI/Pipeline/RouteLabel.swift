import Routing

/// OPS-38: the `route` label of metrics and the access log names the §9 row a request reached.
///
/// One endpoint serves several rows where the kind of its identifier decides (API-5:
/// `GET /objects/{inst}` lists, `GET /objects/{obj}` shows), and the [Compat] fallback of API-6
/// (`{rest...}`, an identifier sent with its `/` unescaped) serves them all. Their label is the
/// template of the row the identifier's kind selects, so one row has one label however its
/// identifier was escaped, and `/events/test.edu` is not counted under `/events/{uuid}`.
/// The labels stay a fixed, small set: a kind, never a value.
public enum RouteLabel {
    private static let kindRoutedBases: Set<Substring> = [
        "/api/v2/objects/", "/api/v2/files/", "/api/v2/events/",
        "/member-api/v2/objects/", "/member-api/v2/files/", "/member-api/v2/events/",
    ]

    static func of(_ routed: RoutedRequest) -> String {
        of(template: routed.template, parameters: routed.parameters)
    }

    public static func of(template: String, parameters: RouteParameters) -> String {
        guard template.hasSuffix("}"), let open = template.lastIndex(of: "{"),
              kindRoutedBases.contains(template[..<open])
        else { return template }
        let base = template[..<open]
        var name = template[template.index(after: open)..<template.index(before: template.endIndex)]
        let isRemainder = name.hasSuffix("...")
        if isRemainder { name = name.dropLast(3) }
        guard let raw = parameters.raw(String(name)), let decoded = try? PercentDecoding.decode(raw) else {
            return template
        }
        switch IdentifierKind.of(decoded) {
        case .institution: return base + "{inst}"
        case .object: return base + "{obj}"
        case .file: return base + "{file}"
        case .uuid: return base + "{uuid}"
        case .numericID: return isRemainder ? base + "{id}" : template
        case .unknown: return template
        }
    }
}
