/// Identifier and naming rules of institutions (domain.md DOM-10, §4.1).
public enum InstitutionRules {
    /// DOM-10: a lower-case domain name, at most 253 bytes; any 2–63 letter TLD ([Fix]).
    public static func isValidIdentifier(_ identifier: String) -> Bool {
        let bytes = Array(identifier.utf8)
        guard !bytes.isEmpty, bytes.count <= 253 else { return false }
        let labels = bytes.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        guard labels.count >= 2, let tld = labels.last, (2...63).contains(tld.count),
              tld.allSatisfy({ $0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "z") }) else { return false }
        for label in labels.dropLast() {
            guard let first = label.first, isLowerAlphanumeric(first),
                  label.allSatisfy({ isLowerAlphanumeric($0) || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: "-") })
            else { return false }
        }
        return true
    }

    private static func isLowerAlphanumeric(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
    }
}
