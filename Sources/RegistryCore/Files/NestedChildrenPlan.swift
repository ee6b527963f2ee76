import Formats

/// What to do with each nested child of one file (api-v2.md API-64): create it, skip it as a
/// replay (same checksum key and digest, or a positive `id` naming an existing child of the file),
/// or report a field error. Events are only pre-checked here; whether an event identifier is new,
/// a replay or a conflict is decided by `EventStore.append` under the chain lock.
struct NestedChildrenPlan {
    private(set) var checksumsToInsert: [ChecksumInput] = []
    private(set) var eventsToAppend: [FileEventInput] = []
    /// No checksum to insert and no event to append.
    var isEmpty: Bool { checksumsToInsert.isEmpty && eventsToAppend.isEmpty }

    /// - Parameter fileID: the parent's id, nil while the file is being created.
    init(checksums: [ChecksumInput], events: [FileEventInput], fileID: Int64?, stored: StoredFileState,
         errors: inout FieldErrors) {
        let storedChecksums = fileID.flatMap { stored.checksums[$0] } ?? [:]
        var requested: [ChecksumKey: String] = [:]
        for checksum in checksums {
            if let claimed = checksum.claimedFileID, claimed != fileID {
                errors.add(checksum.errorPrefix + "generic_file_id", "does not match the file")
                continue
            }
            if let id = checksum.existingID {
                if fileID.map({ stored.hasChecksum(id: id, ofFile: $0) }) != true {
                    errors.add(checksum.errorPrefix + "id", "is not a checksum of this file")
                }
                continue
            }
            let key = ChecksumKey(algorithm: checksum.algorithm, datetime: checksum.datetime)
            // The stored digest, or one sent earlier in this request, decides replay vs conflict.
            if let digest = storedChecksums[key]?.digest ?? requested[key] {
                if !digest.utf8.elementsEqual(checksum.digest.utf8) {
                    errors.add(checksum.errorPrefix + "datetime", "has already been taken")
                }
                continue
            }
            requested[key] = checksum.digest
            checksumsToInsert.append(checksum)
        }
        for event in events {
            if let claimed = event.claimedFileID, claimed != fileID {
                errors.add(event.errorPrefix + "generic_file_id", "does not match the file")
                continue
            }
            if let id = event.existingID {
                // Missing (nil), object-level (.some(nil)) and another file's events all fail.
                if fileID == nil || stored.eventFiles[id] != .some(fileID) {
                    errors.add(event.errorPrefix + "id", "is not an event of this file")
                }
                continue
            }
            eventsToAppend.append(event)
        }
    }
}
