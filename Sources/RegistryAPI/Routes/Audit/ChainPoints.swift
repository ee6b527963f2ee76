import Formats
import Postgres
import RegistryCore

/// Chain hashes at given positions of one institution's chain, as stored (AUD-50, AUD-52, AUD-54).
struct ChainPoints {
    static let zeroHash = String(repeating: "0", count: 64)

    let institutionID: Int64
    /// The head row: sequence and chain hash (hex).
    let headSequence: Int64
    let headChainHash: String
    /// The database's time of the read (`as_of`).
    let asOf: Timestamp

    /// Reads the head row. An institution without a head row (an invariant violation that
    /// `registry audit verify` reports) is answered as an empty chain rather than a 500.
    static func read(institutionID: Int64, on connection: PGConnection) throws -> ChainPoints {
        let result = try connection.query("""
            SELECT h.sequence, encode(h.chain_hash, 'hex'), now()
            FROM (SELECT 1) AS one LEFT JOIN event_chain_heads h ON h.institution_id = \(institutionID)
            """)
        return ChainPoints(institutionID: institutionID, headSequence: try result.int64(0, 0) ?? 0,
                           headChainHash: result.string(0, 1) ?? zeroHash, asOf: try result.timestamp(0, 2) ?? .now())
    }

    /// chain_hash(s): zeros at 0, the head row's at the head, otherwise the stored event's.
    func chainHash(at sequence: Int64, on connection: PGConnection) throws -> String {
        if sequence == 0 { return Self.zeroHash }
        if sequence == headSequence { return headChainHash }
        let result = try connection.query("""
            SELECT encode(chain_hash, 'hex') FROM premis_events
            WHERE institution_id = \(institutionID) AND sequence = \(sequence)
            """)
        guard result.rowCount == 1, let hash = result.string(0, 0) else {
            throw ChainInconsistency(institutionID: institutionID, sequence: sequence)
        }
        return hash
    }
}

/// A sequence within 1...head that has no single stored event: only a tampered table looks like
/// this. Answered as a 500 (logged); `registry audit verify` names the break.
struct ChainInconsistency: Error, CustomStringConvertible {
    let institutionID: Int64
    let sequence: Int64

    var description: String {
        "chain of institution \(institutionID) has no single event at sequence \(sequence); run registry audit verify"
    }
}
