import Postgres

/// The controlled vocabularies of the PREMIS export (auditor.md AUD-22, AUD-23, AUD-26), matched
/// against result cells byte for byte (no String per row).
enum PremisVocabulary {
    static let eventTypeAuthorityURI: StaticString = "http://id.loc.gov/vocabulary/preservation/eventType"

    /// AUD-26: id.loc.gov eventType codes; `access assignment` and `identifier assignment` have none.
    /// The `valueURI` values are written out in full so every one is greppable and checked by eye.
    static let eventTypeURIs: [(type: StaticString, uri: StaticString)] = [
        ("capture", "http://id.loc.gov/vocabulary/preservation/eventType/cap"),
        ("compression", "http://id.loc.gov/vocabulary/preservation/eventType/com"),
        ("creation", "http://id.loc.gov/vocabulary/preservation/eventType/cre"),
        ("deaccession", "http://id.loc.gov/vocabulary/preservation/eventType/dea"),
        ("decompression", "http://id.loc.gov/vocabulary/preservation/eventType/dec"),
        ("decryption", "http://id.loc.gov/vocabulary/preservation/eventType/der"),
        ("deletion", "http://id.loc.gov/vocabulary/preservation/eventType/del"),
        ("digital signature validation", "http://id.loc.gov/vocabulary/preservation/eventType/dig"),
        ("fixity check", "http://id.loc.gov/vocabulary/preservation/eventType/fix"),
        ("ingestion", "http://id.loc.gov/vocabulary/preservation/eventType/ing"),
        ("message digest calculation", "http://id.loc.gov/vocabulary/preservation/eventType/mes"),
        ("migration", "http://id.loc.gov/vocabulary/preservation/eventType/mig"),
        ("normalization", "http://id.loc.gov/vocabulary/preservation/eventType/nor"),
        ("replication", "http://id.loc.gov/vocabulary/preservation/eventType/rep"),
        ("validation", "http://id.loc.gov/vocabulary/preservation/eventType/val"),
        ("virus check", "http://id.loc.gov/vocabulary/preservation/eventType/vir"),
    ]

    /// AUD-22: the digest algorithm as named in PREMIS; the `valueURI` ends with the stored value.
    static let digestAlgorithms: [(stored: StaticString, name: StaticString)] = [
        ("md5", "MD5"), ("sha1", "SHA-1"), ("sha256", "SHA-256"), ("sha512", "SHA-512"),
    ]
    static let digestURIPrefix: StaticString = "http://id.loc.gov/vocabulary/preservation/cryptographicHashFunctions/"

    /// AUD-23: `Success` → `/suc`; `Failure` and `Failed` (DOM-37) → `/fai`.
    static let successURI: StaticString = "http://id.loc.gov/vocabulary/preservation/eventOutcome/suc"
    static let failureURI: StaticString = "http://id.loc.gov/vocabulary/preservation/eventOutcome/fai"
    static let executingProgramURI: StaticString = "http://id.loc.gov/vocabulary/preservation/eventRelatedAgentRole/exe"

    /// The eventType `valueURI` for the type in the cell, or nil for the two unmapped types.
    static func eventTypeURI(_ result: PGResult, _ row: Int, _ column: Int) -> StaticString? {
        eventTypeURIs.first { cell(result, row, column, equals: $0.type) }?.uri
    }

    /// The PREMIS name of the algorithm in the cell (the database CHECK allows only the four).
    static func digestName(_ result: PGResult, _ row: Int, _ column: Int) -> StaticString? {
        digestAlgorithms.first { cell(result, row, column, equals: $0.stored) }?.name
    }

    static func outcomeURI(_ result: PGResult, _ row: Int, _ column: Int) -> StaticString {
        cell(result, row, column, equals: "Success") ? successURI : failureURI
    }

    /// Byte equality of a cell and a constant (DOM-5: no Unicode normalization).
    static func cell(_ result: PGResult, _ row: Int, _ column: Int, equals constant: StaticString) -> Bool {
        result.withUnsafeBytes(row, column) { bytes in
            constant.withUTF8Buffer { bytes.elementsEqual($0) }
        }
    }
}
