/// html.md WEB-4: 12–128 characters, not equal to the e-mail (case-insensitive).
public enum PasswordRules {
    /// The problem with `password`, or nil when it is acceptable.
    public static func problem(_ password: String, email: String) -> String? {
        let length = password.count
        if length < 12 { return "is too short (minimum is 12 characters)" }
        if length > 128 { return "is too long (maximum is 128 characters)" }
        if EmailAddress.normalized(password) == EmailAddress.normalized(email) { return "must not be your e-mail address" }
        return nil
    }
}

/// DOM-18: the e-mail format.
public enum EmailRules {
    public static func isValid(_ email: String) -> Bool {
        let bytes = Array(email.utf8)
        guard bytes.count <= 254, let at = bytes.firstIndex(of: UInt8(ascii: "@")),
              bytes.lastIndex(of: UInt8(ascii: "@")) == at, at > 0 else { return false }
        let isSpace: (UInt8) -> Bool = { $0 == 0x20 || ($0 >= 0x09 && $0 <= 0x0D) }
        guard !bytes.contains(where: isSpace) else { return false }
        // `[^@\s]+\.[^@\s]+` after the `@`: some dot with at least one byte on each side (`a@b.c.`
        // passes, as it does the regex and the column's CHECK).
        let domain = bytes[(at + 1)...]
        return domain.indices.contains { index in
            domain[index] == UInt8(ascii: ".") && index > domain.startIndex && index < domain.endIndex - 1
        }
    }
}
