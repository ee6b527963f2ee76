/// Reduces a request-target (RFC 9112 §3.2) to the origin-form the router sees.
enum RequestTargetParser {
    /// - origin-form `/path?query` is kept byte for byte (still percent-encoded: routing decodes
    ///   per segment, server-lessons §1.4);
    /// - absolute-form `http://authority/path?query` becomes `/path?query` (`/` when the path is
    ///   empty). `https` is accepted too: TLS ends at the load balancer, which may forward the
    ///   scheme it saw. The authority is dropped: this server does not route on host names;
    /// - asterisk-form `*` only with OPTIONS (§3.2.4), which like every method implemented nowhere
    ///   is answered 501 — see the next case;
    /// - with a method implemented nowhere (`CONNECT host:443`, `BREW *`…) any other target becomes
    ///   `*`: such a request is a 501 whatever its target (API-7), and `*` names no path of ours;
    /// - anything else (authority-form, relative references) → 400.
    /// The caller has already checked that every byte is visible ASCII.
    static func originForm(_ target: UnsafeRawBufferPointer, method: HTTPMethod) throws(HTTPParseError) -> String {
        if target[0] == HTTPByte.slash {
            return String(decoding: target, as: UTF8.self)
        }
        if !method.isImplemented, !HTTPByte.hasPrefixIgnoringCase(target, "http://"),
           !HTTPByte.hasPrefixIgnoringCase(target, "https://") {
            return "*"
        }
        if target.count == 1, target[0] == 0x2A {
            // Only OPTIONS may use it (§3.2.4), and OPTIONS is handled above (implemented nowhere).
            throw .badRequest("asterisk-form request target is only allowed with OPTIONS")
        }
        let schemeLength: Int
        if HTTPByte.hasPrefixIgnoringCase(target, "http://") {
            schemeLength = 7
        } else if HTTPByte.hasPrefixIgnoringCase(target, "https://") {
            schemeLength = 8
        } else {
            throw .badRequest("unsupported request target form")
        }
        var pathStart = schemeLength
        while pathStart < target.count, target[pathStart] != HTTPByte.slash, target[pathStart] != HTTPByte.question {
            pathStart += 1
        }
        guard pathStart > schemeLength else { throw .badRequest("absolute-form request target without host") }
        let rest = String(decoding: UnsafeRawBufferPointer(rebasing: target[pathStart...]), as: UTF8.self)
        return rest.hasPrefix("/") ? rest : "/" + rest
    }
}
