#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Syntax checks for the free-text settings. Each returns nil when the value is acceptable,
/// else the problem (without the value, which the caller quotes when it is not a secret).
enum SettingSyntax {
    /// `HOST`: an IPv4 or IPv6 address (without brackets) or a DNS host name.
    static func listenHostProblem(_ value: String) -> String? {
        let problem = "must be an IPv4 or IPv6 address or a host name"
        if value.contains(":") {
            return isAddress(value, family: AF_INET6) ? nil : problem
        }
        let labels = value.split(separator: ".", omittingEmptySubsequences: false)
        if labels.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isASCIIDigit) }) {
            return isAddress(value, family: AF_INET) ? nil : problem
        }
        return isHostName(value) ? nil : problem
    }

    /// `PUBLIC_BASE_URL`: `http://` or `https://`, a host (name, IPv4 or `[IPv6]`), an optional
    /// port, an optional path; printable ASCII, no user info, no query, no fragment.
    static func publicBaseURLProblem(_ value: String) -> String? {
        let problem = "must be an absolute http:// or https:// URL without user info, query or fragment"
        guard value.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else { return problem }
        guard !value.contains("?"), !value.contains("#"), !value.contains("@") else { return problem }
        let lowered = value.lowercased()
        let scheme = lowered.hasPrefix("https://") ? "https://" : lowered.hasPrefix("http://") ? "http://" : nil
        guard let scheme else { return problem }
        let afterScheme = value.dropFirst(scheme.count)
        let authority = afterScheme.prefix { $0 != "/" }
        return isAuthority(authority) ? nil : problem
    }

    /// `OPS_EMAIL`: `local@domain`, no spaces or control characters.
    static func emailProblem(_ value: String) -> String? {
        let parts = value.split(separator: "@", omittingEmptySubsequences: false)
        let printable = value.unicodeScalars.allSatisfy { $0.value > 0x20 && $0.value != 0x7F }
        guard printable, parts.count == 2, !parts[0].isEmpty, isHostName(String(parts[1])) else {
            return "must be an e-mail address (local@domain)"
        }
        return nil
    }

    /// Bucket prefixes: the characters an S3 bucket name may hold (domain.md DOM-19).
    static func bucketPrefixProblem(_ value: String) -> String? {
        let allowed = value.allSatisfy { $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "." || $0 == "-") }
        return allowed ? nil : "must contain only a-z, 0-9, '.' and '-' (S3 bucket name characters)"
    }

    /// `METRICS_TOKEN`: what can follow `Bearer ` in a header: visible ASCII, no spaces.
    static func tokenProblem(_ value: String) -> String? {
        value.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) ? nil : "must contain only visible ASCII characters (no spaces)"
    }

    /// `SERVER_AGENT` and paths: any text without control characters.
    static func controlCharacterProblem(_ value: String) -> String? {
        value.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F } ? "must not contain control characters" : nil
    }

    private static func isAuthority(_ authority: Substring) -> Bool {
        var host = authority
        var port: Substring?
        if authority.first == "[" {
            guard let close = authority.firstIndex(of: "]") else { return false }
            host = authority[authority.index(after: authority.startIndex)..<close]
            guard isAddress(String(host), family: AF_INET6) else { return false }
            let afterHost = authority[authority.index(after: close)...]
            if !afterHost.isEmpty {
                guard afterHost.first == ":" else { return false }
                port = afterHost.dropFirst()
            }
        } else {
            if let colon = authority.firstIndex(of: ":") {
                host = authority[..<colon]
                port = authority[authority.index(after: colon)...]
            }
            guard isHostName(String(host)) else { return false }
        }
        if let port {
            guard !port.isEmpty, port.allSatisfy(\.isASCIIDigit), let number = Int(port), (1...65535).contains(number) else {
                return false
            }
        }
        return true
    }

    /// RFC 1123 host name: labels of letters, digits and `-`, 1–63 bytes each, 253 in all.
    /// (An IPv4 address is also a valid host name by this rule.)
    private static func isHostName(_ value: String) -> Bool {
        guard !value.isEmpty, value.utf8.count <= 253 else { return false }
        return value.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { label in
            !label.isEmpty && label.utf8.count <= 63 && label.first != "-" && label.last != "-"
                && label.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }
        }
    }

    private static func isAddress(_ text: String, family: Int32) -> Bool {
        var buffer = [UInt8](repeating: 0, count: 16)
        return inet_pton(family, text, &buffer) == 1
    }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}
