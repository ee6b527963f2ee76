import CryptoSupport
import RegistryCore
import Testing

/// The rules of AUD-62 on a chain built in memory: which break is reported, at which sequence, with
/// which identifier — including the combinations the database tests cannot reach easily.
@Suite("ChainWalk: first broken link (AUD-62)")
struct ChainWalkTests {
    /// A valid chain of `count` links: entry hash i = SHA-256("event i"), id = 100 + i.
    static func chain(_ count: Int) -> [ChainLink] {
        var previous = ChainHash.genesis
        return (1...max(count, 1)).prefix(count).map { index in
            let entry = SHA256.hash("event \(index)")
            previous = ChainHash.next(previous: previous, entry: entry)
            return ChainLink(sequence: Int64(index), id: Int64(100 + index), identifier: "uuid-\(index)",
                             recomputedEntryHash: entry, storedEntryHash: entry, storedChainHash: previous)
        }
    }

    static func verdict(_ links: [ChainLink], head: (Int64, [UInt8])?, recorded: RecordedHead? = nil) -> ChainVerdict {
        var walk = ChainWalk(head: head.map { (sequence: $0.0, chainHash: $0.1) }, recorded: recorded)
        for link in links { walk.add(link) }
        return walk.finish(institution: "test.edu")
    }

    static func headOf(_ links: [ChainLink]) -> (Int64, [UInt8]) {
        (links.last?.sequence ?? 0, links.last?.storedChainHash ?? ChainHash.genesis)
    }

    static func replacing(_ links: [ChainLink], at index: Int, _ change: (ChainLink) -> ChainLink) -> [ChainLink] {
        var copy = links
        copy[index] = change(links[index])
        return copy
    }

    @Test("AUD-46: an intact chain and an empty chain are OK with the head's sequence and hash")
    func intact() {
        let links = Self.chain(5)
        #expect(Self.verdict(links, head: Self.headOf(links)).outcome == .intact(sequence: 5, chainHash: links[4].storedChainHash))
        #expect(Self.verdict([], head: (0, ChainHash.genesis)).outcome == .intact(sequence: 0, chainHash: ChainHash.genesis))
    }

    @Test("AUD-62: entry_hash_mismatch and chain_hash_mismatch at the changed event")
    func hashMismatches() {
        let links = Self.chain(5)
        let changed = Self.replacing(links, at: 2) {
            ChainLink(sequence: $0.sequence, id: $0.id, identifier: $0.identifier, recomputedEntryHash: SHA256.hash("x"),
                      storedEntryHash: $0.storedEntryHash, storedChainHash: $0.storedChainHash)
        }
        #expect(Self.verdict(changed, head: Self.headOf(links)).line
                == "BROKEN test.edu sequence=3 identifier=uuid-3 reason=entry_hash_mismatch")
        let unreadable = Self.replacing(links, at: 0) {
            ChainLink(sequence: $0.sequence, id: $0.id, identifier: $0.identifier, recomputedEntryHash: nil,
                      storedEntryHash: $0.storedEntryHash, storedChainHash: $0.storedChainHash)
        }
        #expect(Self.verdict(unreadable, head: Self.headOf(links)).line
                == "BROKEN test.edu sequence=1 identifier=uuid-1 reason=entry_hash_mismatch")
        let rehashed = Self.replacing(links, at: 3) {
            ChainLink(sequence: $0.sequence, id: $0.id, identifier: $0.identifier, recomputedEntryHash: SHA256.hash("y"),
                      storedEntryHash: SHA256.hash("y"), storedChainHash: $0.storedChainHash)
        }
        #expect(Self.verdict(rehashed, head: Self.headOf(links)).line
                == "BROKEN test.edu sequence=4 identifier=uuid-4 reason=chain_hash_mismatch")
    }

    @Test("AUD-62: sequence_gap names the first missing sequence; duplicate_sequence the higher id")
    func continuity() {
        let links = Self.chain(6)
        var gap = links
        gap.remove(at: 3)
        gap.remove(at: 3)
        #expect(Self.verdict(gap, head: Self.headOf(links)).line == "BROKEN test.edu sequence=4 identifier=- reason=sequence_gap")
        let forged = ChainLink(sequence: 3, id: 999, identifier: "forged", recomputedEntryHash: nil, storedEntryHash: [],
                               storedChainHash: [])
        // Either order of the two rows: the one with the higher id is named.
        for duplicate in [Array(links[0...2]) + [forged] + Array(links[3...]),
                          Array(links[0...1]) + [forged] + Array(links[2...])] {
            #expect(Self.verdict(duplicate, head: Self.headOf(links)).line
                    == "BROKEN test.edu sequence=3 identifier=forged reason=duplicate_sequence")
        }
        // An earlier break wins over a later duplicate.
        let both = Self.replacing(Array(links[0...2]) + [forged] + Array(links[3...]), at: 0) {
            ChainLink(sequence: $0.sequence, id: $0.id, identifier: $0.identifier, recomputedEntryHash: nil,
                      storedEntryHash: $0.storedEntryHash, storedChainHash: $0.storedChainHash)
        }
        #expect(Self.verdict(both, head: Self.headOf(links)).line == "BROKEN test.edu sequence=1 identifier=uuid-1 reason=entry_hash_mismatch")
    }

    @Test("AUD-62: head_mismatch — last event removed, events past the head, wrong hash, missing row")
    func headMismatches() {
        let links = Self.chain(5)
        #expect(Self.verdict(Array(links.prefix(4)), head: Self.headOf(links)).line
                == "BROKEN test.edu sequence=5 identifier=- reason=head_mismatch")
        #expect(Self.verdict(links, head: Self.headOf(Array(links.prefix(3)))).line
                == "BROKEN test.edu sequence=3 identifier=uuid-3 reason=head_mismatch")
        #expect(Self.verdict(links, head: (5, SHA256.hash("other"))).line
                == "BROKEN test.edu sequence=5 identifier=uuid-5 reason=head_mismatch")
        #expect(Self.verdict(links, head: (0, ChainHash.genesis)).line == "BROKEN test.edu sequence=0 identifier=- reason=head_mismatch")
        #expect(Self.verdict([], head: (0, SHA256.hash("other"))).line == "BROKEN test.edu sequence=0 identifier=- reason=head_mismatch")
        #expect(Self.verdict(links, head: nil).line == "BROKEN test.edu sequence=0 identifier=- reason=head_mismatch")
    }

    @Test("AUD-61: a recorded head must be on the chain (mismatch) and within it (beyond_chain)")
    func recordedHeads() {
        let links = Self.chain(5)
        let head = Self.headOf(links)
        let atThree = RecordedHead(chainHash: links[2].storedChainHash, sequence: 3)
        #expect(Self.verdict(links, head: head, recorded: atThree).isIntact)
        #expect(Self.verdict(links, head: head, recorded: RecordedHead(chainHash: ChainHash.genesis, sequence: 0)).isIntact)
        #expect(Self.verdict(links, head: head, recorded: RecordedHead(chainHash: links[4].storedChainHash, sequence: 5)).isIntact)
        #expect(Self.verdict(links, head: head, recorded: RecordedHead(chainHash: links[1].storedChainHash, sequence: 3)).line
                == "BROKEN test.edu sequence=3 identifier=uuid-3 reason=recorded_head_mismatch")
        #expect(Self.verdict(links, head: head, recorded: RecordedHead(chainHash: SHA256.hash("z"), sequence: 0)).line
                == "BROKEN test.edu sequence=0 identifier=- reason=recorded_head_mismatch")
        #expect(Self.verdict(links, head: head, recorded: RecordedHead(chainHash: SHA256.hash("z"), sequence: 9)).line
                == "BROKEN test.edu sequence=9 identifier=- reason=recorded_head_beyond_chain")
        // Last event removed and the head row rewritten to match: only the recorded head notices.
        let shortened = Array(links.prefix(4))
        #expect(Self.verdict(shortened, head: Self.headOf(shortened)).isIntact)
        #expect(Self.verdict(shortened, head: Self.headOf(shortened),
                             recorded: RecordedHead(chainHash: links[4].storedChainHash, sequence: 5)).line
                == "BROKEN test.edu sequence=5 identifier=- reason=recorded_head_beyond_chain")
        // Both the head row and the recorded head lie beyond the chain: the lower sequence is named.
        #expect(Self.verdict(Array(links.prefix(3)), head: head,
                             recorded: RecordedHead(chainHash: links[3].storedChainHash, sequence: 4)).line
                == "BROKEN test.edu sequence=4 identifier=- reason=recorded_head_beyond_chain")
        #expect(Self.verdict(Array(links.prefix(3)), head: head,
                             recorded: RecordedHead(chainHash: links[4].storedChainHash, sequence: 5)).line
                == "BROKEN test.edu sequence=5 identifier=- reason=head_mismatch")
    }
}
