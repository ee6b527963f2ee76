import Formats
import RegistryCore

/// Reads a checksum record: the body of `POST /checksums/{file}` (api-v2.md §10.4) or a checksum
/// nested in a file body (API-27, API-64), with the rules of domain.md DOM-17.
enum ChecksumBodyReader {
    /// - Parameters:
    ///   - prefix: error key prefix (`""`, `checksums[0].`, `files[3].checksums[0].`).
    ///   - fileIdentifier: the parent file's identifier, to check a body `generic_file_identifier`.
    ///   - fileID: the parent file's id when known, to check a body `generic_file_id` here (nested
    ///     children of a file being created are checked by the store).
    ///   - nested: a positive `id` is read (API-64); on a plain create `id` is server-managed (API-24).
    static func read(_ record: JSONObject, prefix: String, fileIdentifier: String?, fileID: Int64? = nil,
                     nested: Bool, errors: inout FieldErrors) -> ChecksumInput? {
        var reader = FieldReader(record, prefix: prefix)
        let algorithm = reader.vocabulary("algorithm", Vocabulary.checksumAlgorithm, required: true).value
        let datetime = reader.requiredTimestamp("datetime")
        let digest = reader.requiredString("digest").flatMap { normalizedDigest($0, algorithm: algorithm, reader: &reader) }
        let claimedFileID = reader.referenceID("generic_file_id")
        if let claimedFileID, let fileID, claimedFileID != fileID {
            reader.fail("generic_file_id", "does not match the file")
        }
        if case .value(let claimed) = reader.optionalString("generic_file_identifier"), let fileIdentifier,
           !claimed.utf8.elementsEqual(fileIdentifier.utf8) {
            reader.fail("generic_file_identifier", "does not match the file")
        }
        var existingID: Int64?
        if nested, case .value(let id) = reader.integer("id"), id > 0 { existingID = id }
        errors.merge(reader.errors)
        guard reader.errors.isEmpty, let algorithm, let datetime, let digest else { return nil }
        return ChecksumInput(algorithm: algorithm, datetime: datetime, digest: digest, existingID: existingID,
                             claimedFileID: claimedFileID, errorPrefix: prefix)
    }

    /// DOM-17: hex, upper case accepted and stored lower case, length fixed by the algorithm.
    private static func normalizedDigest(_ text: String, algorithm: String?, reader: inout FieldReader) -> String? {
        let isHex = text.utf8.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x41 && $0 <= 0x46) || ($0 >= 0x61 && $0 <= 0x66) }
        guard isHex else {
            reader.fail("digest", "is invalid")
            return nil
        }
        let lower = String(decoding: text.utf8.map { $0 >= 0x41 && $0 <= 0x46 ? $0 + 0x20 : $0 }, as: UTF8.self)
        if let algorithm, let length = Vocabulary.digestLength(algorithm), lower.utf8.count != length {
            reader.fail("digest", "must be \(length) hexadecimal characters for \(algorithm)")
            return nil
        }
        return lower
    }
}
