import Formats

/// Why a chain is broken (auditor.md AUD-62); the raw values are the `reason=` words of the output.
public enum ChainBreakReason: String, Sendable, Equatable {
    /// The stored canonical members no longer hash to the stored `entry_hash`.
    case entryHashMismatch = "entry_hash_mismatch"
    /// The stored `chain_hash` is not SHA-256(previous chain hash ‖ entry hash).
    case chainHashMismatch = "chain_hash_mismatch"
    /// A sequence number is missing.
    case sequenceGap = "sequence_gap"
    /// Two stored events share a sequence number.
    case duplicateSequence = "duplicate_sequence"
    /// The `event_chain_heads` row disagrees with the last event.
    case headMismatch = "head_mismatch"
    /// `--from-head`: the recomputed chain hash at SEQ is not the recorded one.
    case recordedHeadMismatch = "recorded_head_mismatch"
    /// `--from-head`: the chain ends before SEQ.
    case recordedHeadBeyondChain = "recorded_head_beyond_chain"
}

/// The first broken link of one chain (AUD-62).
public struct ChainBreak: Sendable, Equatable {
    /// Where the recomputed chain first diverges from what is stored (AUD-62 defines it per reason).
    public let sequence: Int64
    /// The stored event with that sequence (for a duplicate, the one with the higher id); nil = `-`.
    public let identifier: String?
    public let reason: ChainBreakReason

    public init(sequence: Int64, identifier: String?, reason: ChainBreakReason) {
        self.sequence = sequence
        self.identifier = identifier
        self.reason = reason
    }
}

/// The result of verifying one institution's chain.
public struct ChainVerdict: Sendable, Equatable {
    public enum Outcome: Sendable, Equatable {
        /// Every link and the head row agree: the head's sequence and (recomputed) chain hash.
        case intact(sequence: Int64, chainHash: [UInt8])
        case broken(ChainBreak)
    }

    public let institution: String
    public let outcome: Outcome

    public init(institution: String, outcome: Outcome) {
        self.institution = institution
        self.outcome = outcome
    }

    public var isIntact: Bool {
        if case .intact = outcome { return true }
        return false
    }

    /// The stdout line of AUD-62: `OK <institution> sequence=<n> head=<hex>` or
    /// `BROKEN <institution> sequence=<s> identifier=<uuid or -> reason=<r>`.
    public var line: String {
        switch outcome {
        case .intact(let sequence, let chainHash):
            return "OK \(institution) sequence=\(sequence) head=\(Hex.encode(chainHash))"
        case .broken(let broken):
            return "BROKEN \(institution) sequence=\(broken.sequence) identifier=\(broken.identifier ?? "-") "
                + "reason=\(broken.reason.rawValue)"
        }
    }
}

/// A head recorded outside the system, `HASH@SEQ` (AUD-61).
public struct RecordedHead: Sendable, Equatable {
    public let chainHash: [UInt8]
    public let sequence: Int64

    public init(chainHash: [UInt8], sequence: Int64) {
        self.chainHash = chainHash
        self.sequence = sequence
    }

    /// Parses `HASH@SEQ`: 64 hex digits (either case), `@`, a non-negative decimal integer. Nil when
    /// malformed (a usage error for the CLI).
    public init?(parsing text: String) {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].utf8.count == 64, let hash = Hex.decode(parts[0]), hash.count == 32,
              let sequence = NumericID.parse(parts[1])
        else { return nil }
        self.init(chainHash: hash, sequence: sequence)
    }
}
