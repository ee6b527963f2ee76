import Formats
import RegistryCore

/// Reads file records of create and update bodies (api-v2.md API-24..27, API-97, API-99;
/// domain.md DOM-13, §4.4). Every field error of the record is collected (API-52).
enum FileBodyReader {
    /// DOM-13 and §4.4 limits.
    static let maxIdentifierBytes = 4096
    static let maxURIBytes = 2048
    static let maxFormatBytes = 255

    /// One file to create. `object` nil: the parent could not be resolved; checks against it are
    /// skipped and the caller reports that.
    static func create(_ record: JSONObject, prefix: String, object: ObjectRef?,
                       errors: inout FieldErrors) -> FileInput? {
        var reader = FieldReader(record, prefix: prefix)
        let identifier = reader.requiredString("identifier", maxBytes: maxIdentifierBytes)
        if let identifier, let object { checkIdentifier(identifier, of: object, reader: &reader) }
        let uri = reader.requiredString("uri", maxBytes: maxURIBytes)
        if let uri { checkURI(uri, reader: &reader) }
        let size = requiredSize(&reader)
        let fileFormat = reader.requiredString("file_format", maxBytes: maxFormatBytes)
        let lastFixityCheck = reader.timestamp("last_fixity_check").value
        ParentClaims.check(&reader, object: object)
        errors.merge(reader.errors)
        let (checksums, events) = children(record, prefix: prefix, object: object, fileIdentifier: identifier,
                                           errors: &errors)
        guard reader.errors.isEmpty, let identifier, let uri, let size, let fileFormat else { return nil }
        return FileInput(identifier: identifier, uri: uri, size: size, fileFormat: fileFormat,
                         lastFixityCheck: lastFixityCheck, checksums: checksums, events: events, errorPrefix: prefix)
    }

    /// The changes of an update (API-99): absent fields stay unchanged; `identifier` and
    /// `intellectual_object_id` may only be sent unchanged; `state` may only be `A`.
    static func update(_ record: JSONObject, file: FileRef) throws(RegistryError) -> FileChanges {
        var reader = FieldReader(record)
        if case .value(let identifier) = reader.rawString("identifier", maxBytes: maxIdentifierBytes),
           !identifier.utf8.elementsEqual(file.identifier.utf8) {
            reader.fail("identifier", "cannot be changed")
        }
        if let objectID = reader.referenceID("intellectual_object_id"), objectID != file.object.id {
            reader.fail("intellectual_object_id", "cannot be changed")
        }
        ParentClaims.check(&reader, object: file.object, objectIDRule: false)
        let uri = changed(reader.rawString("uri", maxBytes: maxURIBytes), "uri", &reader)
        if let uri { checkURI(uri, reader: &reader) }
        var size: Int64?
        switch reader.integer("size") {
        case .absent: break
        case .null: reader.fail("size", "can't be blank")
        case .value(let value):
            if value < 0 { reader.fail("size", "must be greater than or equal to 0") } else { size = value }
        }
        let fileFormat = changed(reader.rawString("file_format", maxBytes: maxFormatBytes), "file_format", &reader)
        let lastFixityCheck = reader.timestamp("last_fixity_check").value
        switch reader.rawString("state") {
        case .value(let state) where state.allSatisfy(\.isWhitespace): reader.fail("state", "can't be blank")  // DOM-4
        case .value("D"): reader.fail("state", "use the deletion workflow")
        case .value(let state) where state != "A": reader.fail("state", "is not included in the list")
        default: break
        }
        var errors = reader.errors
        let (checksums, events) = children(record, prefix: "", object: file.object, fileIdentifier: file.identifier,
                                           errors: &errors)
        try errors.throwIfAny()
        return FileChanges(uri: uri, size: size, fileFormat: fileFormat, lastFixityCheck: lastFixityCheck,
                           checksums: checksums, events: events)
    }

    /// A required field sent in an update: `null` or blank is `can't be blank` (DOM-4).
    private static func changed(_ field: Field<String>, _ key: String, _ reader: inout FieldReader) -> String? {
        switch field {
        case .absent: return nil
        case .null:
            reader.fail(key, "can't be blank")
            return nil
        case .value(let text):
            if text.unicodeScalars.allSatisfy(\.properties.isWhitespace) {
                reader.fail(key, "can't be blank")
                return nil
            }
            return text
        }
    }

    private static func children(_ record: JSONObject, prefix: String, object: ObjectRef?, fileIdentifier: String?,
                                 errors: inout FieldErrors) -> ([ChecksumInput], [FileEventInput]) {
        let checksums = NestedLists.read(record, "checksums", prefix: prefix, errors: &errors).compactMap {
            ChecksumBodyReader.read($0.record, prefix: $0.prefix, fileIdentifier: fileIdentifier, nested: true,
                                    errors: &errors)
        }
        let events = NestedLists.read(record, "premis_events", prefix: prefix, errors: &errors).compactMap {
            FileEventReader.read($0.record, prefix: $0.prefix, object: object, fileIdentifier: fileIdentifier,
                                 errors: &errors)
        }
        return (checksums, events)
    }

    /// DOM-13: `<object identifier>/<path>`, the path non-empty, not starting with `/`, without
    /// control characters (U+0000 is refused by the reader already).
    static func checkIdentifier(_ identifier: String, of object: ObjectRef, reader: inout FieldReader) {
        let prefix = Array(object.identifier.utf8) + [UInt8(ascii: "/")]
        let bytes = Array(identifier.utf8)
        guard bytes.starts(with: prefix) else {
            reader.fail("identifier", "must start with \(object.identifier)/")
            return
        }
        let path = bytes[prefix.count...]
        if path.isEmpty || path.first == UInt8(ascii: "/") || bytes.contains(where: { $0 < 0x20 || $0 == 0x7F }) {
            reader.fail("identifier", "is invalid")
        }
    }

    /// §4.4: the uri contains `://` (its last path segment is the storage key).
    private static func checkURI(_ uri: String, reader: inout FieldReader) {
        if !uri.contains("://") { reader.fail("uri", "is invalid") }
    }

    private static func requiredSize(_ reader: inout FieldReader) -> Int64? {
        let before = reader.errors.entries.count
        switch reader.integer("size") {
        case .value(let value) where value >= 0:
            return value
        case .value:
            reader.fail("size", "must be greater than or equal to 0")
        default:
            if reader.errors.entries.count == before { reader.fail("size", "can't be blank") }
        }
        return nil
    }
}
