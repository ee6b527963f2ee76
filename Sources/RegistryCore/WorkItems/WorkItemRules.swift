/// Pure rules about work item fields (domain.md DOM-6, DOM-75, DOM-115).
public enum WorkItemRules {
    /// DOM-6 [Compat]: the longest `note` stored, in UTF-8 bytes.
    public static let maxNoteBytes = 65_535

    /// DOM-6 [Compat]: a longer `note` is cut to at most 65,535 bytes at a UTF-8 character boundary
    /// instead of being refused (the workers put whole HTTP response bodies into it).
    public static func truncatedNote(_ note: String) -> String {
        let utf8 = Array(note.utf8)
        guard utf8.count > maxNoteBytes else { return note }
        var end = maxNoteBytes
        // Back up over continuation bytes (10xxxxxx) so the cut falls before a character's lead byte.
        while end > 0 && utf8[end] & 0xC0 == 0x80 { end -= 1 }
        return String(decoding: utf8[..<end], as: UTF8.self)
    }

    /// DOM-75: the bag name inside a tar file name — `name` without a trailing `.tar` or
    /// `.bNNN.ofNNN.tar` (N = one or more digits) of a multipart bag.
    public static func bagName(fromTarName name: String) -> String {
        var bytes = Array(name.utf8)
        guard bytes.count >= 4, bytes.suffix(4).elementsEqual(".tar".utf8) else { return name }
        bytes.removeLast(4)
        if let partStart = multipartSuffixStart(bytes) {
            bytes.removeSubrange(partStart...)
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Where `.b<digits>.of<digits>` ends `bytes`, or nil.
    private static func multipartSuffixStart(_ bytes: [UInt8]) -> Int? {
        var index = bytes.count
        func digits() -> Bool {
            let end = index
            while index > 0 && bytes[index - 1] >= UInt8(ascii: "0") && bytes[index - 1] <= UInt8(ascii: "9") { index -= 1 }
            return index < end
        }
        func literal(_ text: String) -> Bool {
            let expected = Array(text.utf8)
            guard index >= expected.count, bytes[(index - expected.count)..<index].elementsEqual(expected) else { return false }
            index -= expected.count
            return true
        }
        guard digits(), literal(".of"), digits(), literal(".b") else { return nil }
        return index
    }

    /// DOM-75: when an `Ingest` item without `object_identifier` reaches (`Record`, `Success`) or
    /// (`Cleanup`, `Success`), the object identifier it produced; nil when the rule does not apply.
    public static func derivedObjectIdentifier(_ record: WorkItemRecord, institutionIdentifier: String) -> String? {
        guard isDerivationDue(record) else { return nil }
        let bag = bagName(fromTarName: record.name)
        guard !bag.isEmpty, !bag.utf8.contains(UInt8(ascii: "/")) else { return nil }
        return institutionIdentifier + "/" + bag
    }

    /// Whether DOM-75's state condition holds (checked before the institution identifier is looked up).
    static func isDerivationDue(_ record: WorkItemRecord) -> Bool {
        record.action == "Ingest" && record.objectIdentifier == nil && record.status == "Success"
            && (record.stage == "Record" || record.stage == "Cleanup")
    }
}
