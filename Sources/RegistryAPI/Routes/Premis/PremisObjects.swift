import Postgres

/// The object entities of the PREMIS export: the intellectual entity (auditor.md AUD-21), then one
/// file object per file (AUD-22), each with its children in the element order of the PREMIS 3.0
/// schema (`intellectualEntity`, `file` and `objectCharacteristicsComplexType` sequences).
enum PremisObjects {
    static let fileBatchSize = 500
    static let identifierBatchSize = 1000

    /// `object` is `PremisQueries.object`'s single row.
    static func writeIntellectualEntity(_ object: PGResult, objectID: Int64, on connection: PGConnection,
                                        deadline: ExportDeadline, into xml: inout PremisXML) throws {
        xml.open("object", 1, [("xsi:type", "premis:intellectualEntity")])
        xml.identifier("objectIdentifier", 2, typeName: "objectIdentifierType", type: "registry object identifier",
                       valueName: "objectIdentifierValue", object, 0, 0)
        if !object.isNull(0, 1) {
            xml.identifier("objectIdentifier", 2, typeName: "objectIdentifierType", type: "alt_identifier",
                           valueName: "objectIdentifierValue", object, 0, 1)
        }
        xml.open("preservationLevel", 2)
        xml.leaf("preservationLevelValue", 3, object, 0, 2)
        xml.close("preservationLevel", 2)
        // AUD-21: the type text is exactly the field name; optional fields only when present.
        let properties: [(name: StaticString, column: Int)] = [
            ("title", 3), ("access", 4), ("state", 5), ("bag_group_identifier", 6), ("bagit_profile_identifier", 7),
        ]
        for property in properties where !object.isNull(0, property.column) {
            xml.open("significantProperties", 2)
            xml.leaf("significantPropertiesType", 3, constant: property.name)
            xml.leaf("significantPropertiesValue", 3, object, 0, property.column)
            xml.close("significantProperties", 2)
        }
        xml.leaf("originalName", 2, object, 0, 8)

        try connection.stream(PremisQueries.fileIdentifiers(objectID), batchSize: identifierBatchSize) { files in
            try deadline.check()
            for row in 0..<files.rowCount {
                writeRelationship(subtype: "includes", relatedType: "registry file identifier", files, row, 0, into: &xml)
                try xml.flushIfLarge()
            }
        }
        try connection.stream(PremisQueries.objectLevelEventIdentifiers(objectID), batchSize: identifierBatchSize) { events in
            try deadline.check()
            for row in 0..<events.rowCount {
                writeLinkingEvent(events, row, 0, level: 2, into: &xml)
                try xml.flushIfLarge()
            }
        }
        xml.close("object", 1)
    }

    /// Every file, all states, by identifier; checksums, storage records and event identifiers come
    /// from one query per kind and batch of files, merged while writing.
    static func writeFiles(_ object: PGResult, objectID: Int64, on connection: PGConnection, deadline: ExportDeadline,
                           into xml: inout PremisXML) throws {
        try connection.stream(PremisQueries.files(objectID), batchSize: fileBatchSize) { files in
            try deadline.check()
            var ids: [Int64] = []
            ids.reserveCapacity(files.rowCount)
            for row in 0..<files.rowCount { ids.append(try files.int64(row, 0) ?? 0) }
            var checksums = BatchChildren(try connection.query(PremisQueries.checksums(fileIDs: ids)))
            var storage = BatchChildren(try connection.query(PremisQueries.storageRecords(fileIDs: ids)))
            var events = BatchChildren(try connection.query(PremisQueries.fileEventIdentifiers(fileIDs: ids)))
            for row in 0..<files.rowCount {
                let position = row + 1
                try writeFile(files, row, object: object, checksums: checksums.rows(ofPosition: position),
                              of: checksums.result, storage: storage.rows(ofPosition: position), of: storage.result,
                              events: events.rows(ofPosition: position), of: events.result, into: &xml)
                try xml.flushIfLarge()
            }
        }
    }

    /// One file (`PremisQueries.files` row): AUD-22.
    private static func writeFile(_ files: PGResult, _ row: Int, object: PGResult,
                                  checksums: Range<Int>, of checksumRows: PGResult,
                                  storage: Range<Int>, of storageRows: PGResult,
                                  events: Range<Int>, of eventRows: PGResult, into xml: inout PremisXML) throws {
        xml.open("object", 1, [("xsi:type", "premis:file")])
        xml.identifier("objectIdentifier", 2, typeName: "objectIdentifierType", type: "registry file identifier",
                       valueName: "objectIdentifierValue", files, row, 1)
        xml.open("significantProperties", 2)
        xml.leaf("significantPropertiesType", 3, constant: "state")
        xml.leaf("significantPropertiesValue", 3, files, row, 2)
        xml.close("significantProperties", 2)

        xml.open("objectCharacteristics", 2)
        xml.leaf("compositionLevel", 3, constant: "0")
        for checksum in checksums {
            xml.open("fixity", 3)
            let name = PremisVocabulary.digestName(checksumRows, checksum, 1) ?? "unknown"
            xml.leaf("messageDigestAlgorithm", 4, constant: name, valueURIPrefix: PremisVocabulary.digestURIPrefix,
                     checksumRows, checksum, 1)
            xml.leaf("messageDigest", 4, checksumRows, checksum, 2)
            xml.close("fixity", 3)
        }
        xml.leaf("size", 3, files, row, 3)
        xml.open("format", 3)
        xml.open("formatDesignation", 4)
        xml.leaf("formatName", 5, files, row, 4)
        xml.close("formatDesignation", 4)
        xml.close("format", 3)
        xml.close("objectCharacteristics", 2)

        xml.leaf("originalName", 2, files, row, 6)
        for record in storage {
            xml.open("storage", 2)
            xml.identifier("contentLocation", 3, typeName: "contentLocationType", type: "URI",
                           valueName: "contentLocationValue", storageRows, record, 1)
            xml.leaf("storageMedium", 3, files, row, 5)
            xml.close("storage", 2)
        }
        writeRelationship(subtype: "is included in", relatedType: "registry object identifier", object, 0, 0, into: &xml)
        for event in events {
            writeLinkingEvent(eventRows, event, 1, level: 2, into: &xml)
        }
        xml.close("object", 1)
    }

    /// A structural relationship to the object or file identified by the cell.
    private static func writeRelationship(subtype: StaticString, relatedType: StaticString, _ result: PGResult,
                                          _ row: Int, _ column: Int, into xml: inout PremisXML) {
        xml.open("relationship", 2)
        xml.leaf("relationshipType", 3, constant: "structural")
        xml.leaf("relationshipSubType", 3, constant: subtype)
        xml.identifier("relatedObjectIdentifier", 3, typeName: "relatedObjectIdentifierType", type: relatedType,
                       valueName: "relatedObjectIdentifierValue", result, row, column)
        xml.close("relationship", 2)
    }

    static func writeLinkingEvent(_ result: PGResult, _ row: Int, _ column: Int, level: Int, into xml: inout PremisXML) {
        xml.identifier("linkingEventIdentifier", level, typeName: "linkingEventIdentifierType", type: "UUID",
                       valueName: "linkingEventIdentifierValue", result, row, column)
    }
}
