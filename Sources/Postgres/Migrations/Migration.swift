import CryptoSupport

/// One schema migration file: `NNNN_description.sql` (OPS-30).
public struct Migration: Sendable, Hashable {
    /// The file name, e.g. `0001_initial.sql`.
    public let name: String
    /// The four-digit prefix, e.g. `0001`; the primary key of `schema_migrations`.
    public let version: String
    /// The exact file text.
    public let text: String
    /// Lower-case hex SHA-256 of the text's exact UTF-8 bytes (OPS-31).
    public let sha256: String

    /// Throws `.invalidName` unless `name` matches `^[0-9]{4}_[^/]+\.sql$`.
    public init(name: String, text: String) throws(MigrationError) {
        guard Migration.isValidName(name) else { throw .invalidName(name) }
        self.name = name
        self.version = String(name.prefix(4))
        self.text = text
        self.sha256 = SHA256.hex(text)
    }

    /// `^[0-9]{4}_[^/]+\.sql$`, checked by hand to keep regex machinery out of the module.
    public static func isValidName(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        guard bytes.count >= 10, bytes[4] == UInt8(ascii: "_") else { return false }
        guard bytes[0..<4].allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else { return false }
        guard bytes.suffix(4).elementsEqual(".sql".utf8) else { return false }
        return !bytes[5..<(bytes.count - 4)].contains(UInt8(ascii: "/"))
    }

    /// The numeric value of `version`, for ordering.
    var number: Int { Int(version)! }
}
