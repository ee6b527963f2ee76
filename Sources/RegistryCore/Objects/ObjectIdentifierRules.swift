/// The rules for an object `identifier` (domain.md DOM-11) and the `bag_name` derived from it
/// (DOM-12). Pure functions, so they can be checked without a database.
public enum ObjectIdentifierRules {
    /// DOM-11: at most 1024 bytes in total.
    public static let maxBytes = 1024

    /// Why `identifier` is not a valid identifier of an object of `institution`, or nil when it is.
    ///
    /// `<institution identifier>/<bag name>`: the prefix is the owner's identifier byte for byte
    /// (DOM-5), the bag name is non-empty, has no `/` and no control character (U+0000–U+001F,
    /// U+007F) and is not `.` or `..`. Any other Unicode is allowed.
    public static func problem(_ identifier: String, institution: String) -> String? {
        let bytes = Array(identifier.utf8)
        if bytes.count > maxBytes { return "is too long" }
        let prefix = Array(institution.utf8) + [UInt8(ascii: "/")]
        guard bytes.starts(with: prefix) else { return "must start with \"\(institution)/\"" }
        let bagName = bytes[prefix.count...]
        guard isValidBagName(bagName) else { return "is invalid" }
        return nil
    }

    /// DOM-12: everything after the first `/` of the identifier.
    public static func derivedBagName(_ identifier: String) -> String {
        let bytes = Array(identifier.utf8)
        guard let slash = bytes.firstIndex(of: UInt8(ascii: "/")) else { return identifier }
        return String(decoding: bytes[(slash + 1)...], as: UTF8.self)
    }

    private static func isValidBagName(_ name: ArraySlice<UInt8>) -> Bool {
        if name.isEmpty || name.elementsEqual([0x2E]) || name.elementsEqual([0x2E, 0x2E]) { return false }
        // UTF-8 continuation and lead bytes are all >= 0x80, so a byte scan finds exactly the
        // ASCII `/` and control characters.
        return !name.contains { $0 == UInt8(ascii: "/") || $0 < 0x20 || $0 == 0x7F }
    }
}
