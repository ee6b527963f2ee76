import Postgres

/// `registry audit verify` (auditor.md AUD-60..62): re-derives every institution's chain from the
/// stored columns and compares it with the stored hashes and the head row.
public enum ChainVerifier {
    /// Verifies the chain of `institution` (an identifier), or of every institution in identifier
    /// byte order, handing each verdict to `report` as soon as it is known.
    ///
    /// Everything is read in one REPEATABLE READ READ ONLY transaction, so the head rows and the
    /// events are one consistent snapshot even while the server appends. Events are read through a
    /// server-side cursor in batches, so memory stays constant whatever the chain's length.
    ///
    /// - Parameter recordedHead: `--from-head` (AUD-61); only with a single institution.
    /// - Throws: `RegistryError.notFound` for an unknown institution; database errors.
    public static func verify(institution: String?, recordedHead: RecordedHead?, on connection: PGConnection,
                              report: (ChainVerdict) throws -> Void) throws {
        precondition(recordedHead == nil || institution != nil, "a recorded head belongs to one institution")
        try connection.transaction(.repeatableRead, readOnly: true) { connection in
            let chains = try heads(institution: institution, on: connection)
            if let institution, chains.isEmpty {
                throw RegistryError.notFound("institution not found: \(institution)")
            }
            for chain in chains {
                try report(try verify(chain, recordedHead: recordedHead, on: connection))
            }
        }
    }

    private struct Chain {
        let institutionID: Int64
        let identifier: String
        let head: (sequence: Int64, chainHash: [UInt8])?
    }

    /// The institutions to verify with their head rows (few rows: one per institution).
    private static func heads(institution: String?, on connection: PGConnection) throws -> [Chain] {
        var query: PGQuery = """
            SELECT i.id, i.identifier, h.sequence, h.chain_hash
            FROM institutions i LEFT JOIN event_chain_heads h ON h.institution_id = i.id
            """
        if let institution {
            query.append(" WHERE i.identifier = \(institution)")
        }
        query.appendUnescaped(#" ORDER BY i.identifier COLLATE "C""#)
        let result = try connection.query(query)
        var chains: [Chain] = []
        chains.reserveCapacity(result.rowCount)
        for row in 0..<result.rowCount {
            guard let id = try result.int64(row, 0), let identifier = result.string(row, 1) else { continue }
            var head: (sequence: Int64, chainHash: [UInt8])?
            if let sequence = try result.int64(row, 2), let chainHash = try result.bytea(row, 3) {
                head = (sequence, chainHash)
            }
            chains.append(Chain(institutionID: id, identifier: identifier, head: head))
        }
        return chains
    }

    /// Thrown out of the cursor loop once the verdict is known, so a break near the start of a long
    /// chain does not read the rest of it.
    private struct VerdictReached: Error {}

    private static func verify(_ chain: Chain, recordedHead: RecordedHead?, on connection: PGConnection) throws -> ChainVerdict {
        var walk = ChainWalk(head: chain.head, recorded: recordedHead)
        guard !walk.isFinished else { return walk.finish(institution: chain.identifier) }
        // ORDER BY sequence alone (no id tie-break) so the plan is a plain scan of the unique
        // (institution_id, sequence) index; the walk itself orders duplicates by id.
        var query: PGQuery = "SELECT e.id, e.entry_hash, e.chain_hash, "
        query.append(CanonicalEvent.storedSelectList)
        query.append(" FROM premis_events e WHERE e.institution_id = \(chain.institutionID) ORDER BY e.sequence")
        let offset = 3
        do {
            try connection.stream(query, batchSize: 1000) { batch in
                for row in 0..<batch.rowCount {
                    walk.add(try link(batch, row: row, offset: offset, institution: chain.identifier))
                    if walk.isFinished { throw VerdictReached() }
                }
            }
        } catch is VerdictReached {
            // The cursor is closed by `stream`; the verdict is in `walk`.
        }
        return walk.finish(institution: chain.identifier)
    }

    private static func link(_ result: PGResult, row: Int, offset: Int, institution: String) throws -> ChainLink {
        let canonical = CanonicalEvent(result: result, row: row, offset: offset, institution: institution)
        return ChainLink(
            sequence: try result.int64(row, offset + 12) ?? 0, id: try result.int64(row, 0) ?? 0,
            identifier: result.string(row, offset + 6) ?? "",
            recomputedEntryHash: canonical?.entryHash,
            storedEntryHash: try result.bytea(row, 1) ?? [], storedChainHash: try result.bytea(row, 2) ?? [])
    }
}
