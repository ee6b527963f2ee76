import CryptoSupport
import Foundation
import Formats
import Postgres
import RegistryCore
import TestSupport

/// Tampering and checking helpers for the tamper-evidence tests (auditor.md AUD-63: the tests
/// disable the immutability triggers, as a database superuser could).
extension TestRegistry {
    /// `registry audit verify` with `arguments`.
    func verify(_ arguments: [String] = []) throws -> CLIResult {
        try cli(["audit", "verify"] + arguments)
    }

    /// Runs `statement` with the event immutability trigger disabled (AUD-63).
    func tamper(_ statement: String, _ parameters: [String?] = []) throws {
        let sql = try sql()
        try sql.query("ALTER TABLE premis_events DISABLE TRIGGER premis_events_immutable")
        try sql.query(statement, parameters)
    }

    /// The identifier of the event at `sequence` of `institution`'s chain.
    func eventIdentifier(_ institution: String, _ sequence: Int) throws -> String {
        try sql().scalar("""
            SELECT e.identifier::text FROM premis_events e JOIN institutions i ON i.id = e.institution_id
            WHERE i.identifier = $1 AND e.sequence = $2
            """, [institution, String(sequence)]) ?? ""
    }

    /// The stored head as `HASH@SEQ`.
    func recordedHead(_ institution: String) throws -> String {
        let row = try sql().query("""
            SELECT encode(h.chain_hash, 'hex') || '@' || h.sequence FROM event_chain_heads h
            JOIN institutions i ON i.id = h.institution_id WHERE i.identifier = $1
            """, [institution])
        return row[0][0] ?? ""
    }

    /// Rewrites the entry hash of one event to match its (changed) stored fields, nothing else.
    func rehashEntry(_ identifier: String) throws {
        let connection = try PGConnection.connect(PGConnectionSettings(connectionString: conninfo))
        try connection.transaction { connection in
            _ = try connection.query("ALTER TABLE premis_events DISABLE TRIGGER premis_events_immutable")
            var query: PGQuery = "SELECT e.id, i.identifier, "
            query.append(CanonicalEvent.storedSelectList)
            query.append(" FROM premis_events e JOIN institutions i ON i.id = e.institution_id WHERE e.identifier = \(identifier)::uuid")
            let row = try connection.query(query)
            guard let institution = row.string(0, 1), let id = try row.int64(0, 0),
                  let event = CanonicalEvent(result: row, row: 0, offset: 2, institution: institution) else { return }
            _ = try connection.query("UPDATE premis_events SET entry_hash = \(event.entryHash) WHERE id = \(id)")
        }
    }

    /// Rewrites every entry hash, chain hash and the head row of `institution` so that they agree
    /// with the stored fields again: the consistent rewrite only a recorded head detects (AUD-64).
    func rehashChain(_ institution: String) throws {
        let connection = try PGConnection.connect(PGConnectionSettings(connectionString: conninfo))
        try connection.transaction { connection in
            _ = try connection.query("ALTER TABLE premis_events DISABLE TRIGGER premis_events_immutable")
            var query: PGQuery = "SELECT e.id, "
            query.append(CanonicalEvent.storedSelectList)
            query.append("""
                 FROM premis_events e JOIN institutions i ON i.id = e.institution_id
                WHERE i.identifier = \(institution) ORDER BY e.sequence
                """)
            let rows = try connection.query(query)
            var chain = ChainHash.genesis
            var last: Int64 = 0
            for row in 0..<rows.rowCount {
                guard let event = CanonicalEvent(result: rows, row: row, offset: 1, institution: institution),
                      let id = try rows.int64(row, 0) else { continue }
                let entry = event.entryHash
                chain = ChainHash.next(previous: chain, entry: entry)
                last = event.sequence
                _ = try connection.query("UPDATE premis_events SET entry_hash = \(entry), chain_hash = \(chain) WHERE id = \(id)")
            }
            _ = try connection.query("""
                UPDATE event_chain_heads SET sequence = \(last), chain_hash = \(chain)
                WHERE institution_id = (SELECT id FROM institutions WHERE identifier = \(institution))
                """)
        }
    }
}

/// AUD-53: c = SHA-256(c ‖ h) over `hashes`, from `start` (hex in, hex out).
func fold(_ start: String, _ hashes: [String]) -> String {
    var chain = Hex.decode(start) ?? []
    for hash in hashes { chain = ChainHash.next(previous: chain, entry: Hex.decode(hash) ?? []) }
    return Hex.encode(chain)
}

/// The stdout lines of a CLI run.
func lines(_ output: String) -> [String] {
    output.split(separator: "\n").map(String.init)
}
