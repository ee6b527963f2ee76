/// One stored event as the walk sees it.
public struct ChainLink: Sendable {
    public let sequence: Int64
    /// Row id: among duplicates of a sequence, the higher id names the break (AUD-62).
    public let id: Int64
    public let identifier: String
    /// SHA-256 of the canonical text rebuilt from the stored columns; nil when the row cannot be
    /// read as an event at all (it then fails like a changed event).
    public let recomputedEntryHash: [UInt8]?
    public let storedEntryHash: [UInt8]
    public let storedChainHash: [UInt8]

    public init(sequence: Int64, id: Int64, identifier: String, recomputedEntryHash: [UInt8]?,
                storedEntryHash: [UInt8], storedChainHash: [UInt8]) {
        self.sequence = sequence
        self.id = id
        self.identifier = identifier
        self.recomputedEntryHash = recomputedEntryHash
        self.storedEntryHash = storedEntryHash
        self.storedChainHash = storedChainHash
    }
}

/// The verification of one institution's chain (auditor.md AUD-60..62) as a state machine fed with
/// the stored events in ascending `sequence` order, so the database side can stream them with a
/// cursor in constant memory and the rules can be tested without a database.
///
/// Events come in groups of equal sequence (only a tampered table has groups of more than one);
/// the walk holds back one group so a duplicate is seen before the group is checked. Every check
/// is made at the sequence it concerns, in ascending order, so the first failure found is the
/// first broken link; at the same sequence the order is continuity, entry hash, chain hash, head
/// row, recorded head.
public struct ChainWalk: Sendable {
    /// The `event_chain_heads` row (nil: missing).
    let head: (sequence: Int64, chainHash: [UInt8])?
    let recorded: RecordedHead?

    private var expected: Int64 = 1
    private var chainHash = ChainHash.genesis
    /// The identifier of the event at the head row's sequence, once passed.
    private var identifierAtHead: String?
    private var group: [ChainLink] = []
    public private(set) var failure: ChainBreak?

    public init(head: (sequence: Int64, chainHash: [UInt8])?, recorded: RecordedHead?) {
        self.head = head
        self.recorded = recorded
        guard let head else {
            // One row per institution is an invariant (domain.md §4.6); without it there is no head
            // to agree with. Reported at sequence 0.
            failure = ChainBreak(sequence: 0, identifier: nil, reason: .headMismatch)
            return
        }
        if head.sequence == 0 && head.chainHash != ChainHash.genesis {
            failure = ChainBreak(sequence: 0, identifier: nil, reason: .headMismatch)
        } else if let recorded, recorded.sequence == 0, recorded.chainHash != ChainHash.genesis {
            failure = ChainBreak(sequence: 0, identifier: nil, reason: .recordedHeadMismatch)
        }
    }

    /// True once a break is found: later events cannot change the verdict, so the caller may stop.
    public var isFinished: Bool { failure != nil }

    /// Feeds the next stored event (ascending sequence).
    public mutating func add(_ link: ChainLink) {
        guard failure == nil else { return }
        if let first = group.first, first.sequence != link.sequence {
            checkGroup()
            group.removeAll(keepingCapacity: true)
            guard failure == nil else { return }
        }
        group.append(link)
    }

    /// The verdict after the last event.
    public mutating func finish(institution: String) -> ChainVerdict {
        if failure == nil && !group.isEmpty {
            checkGroup()
            group.removeAll()
        }
        if failure == nil, let head {
            checkEnd(head: head)
        }
        if let failure {
            return ChainVerdict(institution: institution, outcome: .broken(failure))
        }
        return ChainVerdict(institution: institution, outcome: .intact(sequence: expected - 1, chainHash: chainHash))
    }

    private mutating func checkGroup() {
        guard let head, let link = group.first else { return }
        let sequence = link.sequence
        if sequence > head.sequence && expected > head.sequence {
            // Stored events continue past the head row, which should name the last one.
            return fail(head.sequence, identifierAtHead, .headMismatch)
        }
        if sequence > expected {
            return fail(expected, nil, .sequenceGap)
        }
        if group.count > 1 {
            let newest = group.max { $0.id < $1.id } ?? link
            return fail(sequence, newest.identifier, .duplicateSequence)
        }
        if sequence < expected {
            // Below 1: possible only with the CHECK constraint dropped; it repeats no valid position,
            // so it is reported as the nearest reason, a sequence that does not belong there.
            return fail(sequence, link.identifier, .duplicateSequence)
        }
        guard let entryHash = link.recomputedEntryHash, entryHash == link.storedEntryHash else {
            return fail(sequence, link.identifier, .entryHashMismatch)
        }
        let next = ChainHash.next(previous: chainHash, entry: entryHash)
        guard next == link.storedChainHash else {
            return fail(sequence, link.identifier, .chainHashMismatch)
        }
        chainHash = next
        expected = sequence + 1
        if sequence == head.sequence {
            identifierAtHead = link.identifier
            if chainHash != head.chainHash { return fail(sequence, link.identifier, .headMismatch) }
        }
        if let recorded, sequence == recorded.sequence, chainHash != recorded.chainHash {
            return fail(sequence, link.identifier, .recordedHeadMismatch)
        }
    }

    /// After the last event: the head row must not name a later sequence (events removed from the
    /// end), and a recorded head must lie within the chain (AUD-61: the chain continues past it).
    private mutating func checkEnd(head: (sequence: Int64, chainHash: [UInt8])) {
        let last = expected - 1
        let headBroken = last < head.sequence
        let recordedBeyond = recorded.map { last < $0.sequence } ?? false
        switch (headBroken, recordedBeyond) {
        case (true, true):
            // Both name a sequence with no event; the lower one is the first broken link.
            if let recorded, recorded.sequence < head.sequence {
                fail(recorded.sequence, nil, .recordedHeadBeyondChain)
            } else {
                fail(head.sequence, nil, .headMismatch)
            }
        case (true, false): fail(head.sequence, nil, .headMismatch)
        case (false, true): fail(recorded?.sequence ?? 0, nil, .recordedHeadBeyondChain)
        case (false, false): break
        }
    }

    private mutating func fail(_ sequence: Int64, _ identifier: String?, _ reason: ChainBreakReason) {
        failure = ChainBreak(sequence: sequence, identifier: identifier, reason: reason)
    }
}
