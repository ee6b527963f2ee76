import CryptoSupport
import Formats

/// A deletion confirmation token (domain.md DOM-120, DOM-121, DOM-131): 32 random bytes as 64
/// lower-case hex characters. Only its SHA-256 is stored (`deletion_requests.token_hash`, as 64
/// lower-case hex characters, domain.md §4.10); the plaintext exists only in the notification that
/// carries the link.
public struct DeletionToken: Sendable {
    /// The 64 hex characters, for the notification link only. Never logged, never returned by the API.
    public let plaintext: String
    /// SHA-256 of the plaintext's UTF-8 bytes, in lower-case hex.
    public let hash: String

    /// How long a token is valid, as SQL interval text (the expiry is computed by the database, so
    /// every check compares database times with database times).
    static let lifetime = "72 hours"

    public static func generate() -> DeletionToken {
        let plaintext = SecureRandom.hex(byteCount: 32)
        return DeletionToken(plaintext: plaintext, hash: hash(of: plaintext))
    }

    public static func hash(of text: String) -> String {
        Hex.encode(SHA256.hash(text))
    }

    /// DOM-121: constant-time comparison of the presented token's SHA-256 with the stored one. Any
    /// text may be presented (a malformed token simply does not match).
    public static func matches(_ presented: String, storedHash: String?) -> Bool {
        guard let storedHash, storedHash.utf8.count == 2 * SHA256.digestLength else { return false }
        return ConstantTime.equals(hash(of: presented), storedHash)
    }
}
