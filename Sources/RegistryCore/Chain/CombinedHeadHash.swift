import CryptoSupport
import Formats

/// One institution's chain head as auditors record it (auditor.md AUD-50, AUD-51).
public struct ChainHead: Sendable, Equatable {
    /// The institution identifier.
    public var institution: String
    public var sequence: Int64
    /// 32 raw bytes (zeros for an empty chain).
    public var chainHash: [UInt8]

    public init(institution: String, sequence: Int64, chainHash: [UInt8]) {
        self.institution = institution
        self.sequence = sequence
        self.chainHash = chainHash
    }
}

/// AUD-51: the one value that stands for every head — SHA-256 of the UTF-8 text with one line
/// `<identifier> <sequence> <chain_hash hex>\n` per head, heads in byte order of the identifier.
public enum CombinedHeadHash {
    public static func compute(_ heads: [ChainHead]) -> [UInt8] {
        // UTF-8 byte order of the identifiers, exactly as the spec names it (not Swift's `<`).
        let sorted = heads.sorted { $0.institution.utf8.lexicographicallyPrecedes($1.institution.utf8) }
        var text: [UInt8] = []
        for head in sorted {
            text.append(contentsOf: head.institution.utf8)
            text.append(UInt8(ascii: " "))
            text.append(contentsOf: String(head.sequence).utf8)
            text.append(UInt8(ascii: " "))
            text.append(contentsOf: Hex.encode(head.chainHash).utf8)
            text.append(UInt8(ascii: "\n"))
        }
        return SHA256.hash(text)
    }
}
