import Foundation
import Testing
@testable import RegistryCore
import Formats

/// Pure rules of work items: note truncation (DOM-6), bag name derivation (DOM-75), the requeue
/// table (DOM-115) and the state compression (DOM-67).
@Suite("Work item rules (pure)")
struct WorkItemRulesTests {
    @Test("DOM-6 [Compat]: a long note is cut to at most 65,535 bytes on a UTF-8 character boundary")
    func noteTruncation() {
        let short = String(repeating: "a", count: 65_535)
        #expect(WorkItemRules.truncatedNote(short) == short)
        let long = String(repeating: "a", count: 70_000)
        #expect(WorkItemRules.truncatedNote(long).utf8.count == 65_535)
        // 65,534 ASCII bytes then "é" (2 bytes): the cut at 65,535 would split it, so it goes.
        let straddling = String(repeating: "a", count: 65_534) + "é" + "tail"
        let cut = WorkItemRules.truncatedNote(straddling)
        #expect(cut.utf8.count == 65_534)
        #expect(cut == String(repeating: "a", count: 65_534))
        // A 4-byte character ending exactly at the limit stays whole.
        let emoji = String(repeating: "a", count: 65_531) + "😀" + "b"
        #expect(WorkItemRules.truncatedNote(emoji) == String(repeating: "a", count: 65_531) + "😀")
        // All multi-byte: 3-byte characters, 65,535 = 3 × 21,845 exactly.
        let wide = String(repeating: "€", count: 30_000)
        #expect(WorkItemRules.truncatedNote(wide) == String(repeating: "€", count: 21_845))
    }

    @Test("DOM-75: the bag name is the tar name without .tar or .bNNN.ofNNN.tar")
    func bagNames() {
        #expect(WorkItemRules.bagName(fromTarName: "bag1.tar") == "bag1")
        #expect(WorkItemRules.bagName(fromTarName: "bag1.b001.of200.tar") == "bag1")
        #expect(WorkItemRules.bagName(fromTarName: "my.bag.b1.of2.tar") == "my.bag")
        #expect(WorkItemRules.bagName(fromTarName: "bag.b001.tar") == "bag.b001")
        #expect(WorkItemRules.bagName(fromTarName: "bag.bx01.of200.tar") == "bag.bx01.of200")
        #expect(WorkItemRules.bagName(fromTarName: "bag.of200.tar") == "bag.of200")
        #expect(WorkItemRules.bagName(fromTarName: "bag") == "bag")
        #expect(WorkItemRules.bagName(fromTarName: "bag.TAR") == "bag.TAR")
        #expect(WorkItemRules.bagName(fromTarName: "ünï cödé.tar") == "ünï cödé")
    }

    @Test("DOM-75: derived only for an Ingest without object_identifier at Record/Success or Cleanup/Success")
    func derivation() {
        var record = WorkItemRecord(name: "bag1.b002.of010.tar", etag: "e", bagDate: .now(), bucket: "b", user: "u",
                                    institutionID: 1, date: .now(), note: "n", outcome: "o", action: "Ingest",
                                    stage: "Cleanup", status: "Success")
        #expect(WorkItemRules.derivedObjectIdentifier(record, institutionIdentifier: "test.edu") == "test.edu/bag1")
        record.stage = "Record"
        #expect(WorkItemRules.derivedObjectIdentifier(record, institutionIdentifier: "test.edu") == "test.edu/bag1")
        record.stage = "Store"
        #expect(WorkItemRules.derivedObjectIdentifier(record, institutionIdentifier: "test.edu") == nil)
        record.stage = "Cleanup"
        record.status = "Started"
        #expect(WorkItemRules.derivedObjectIdentifier(record, institutionIdentifier: "test.edu") == nil)
        record.status = "Success"
        record.objectIdentifier = "test.edu/already"
        #expect(WorkItemRules.derivedObjectIdentifier(record, institutionIdentifier: "test.edu") == nil)
        record.objectIdentifier = nil
        record.action = "Restore"
        #expect(WorkItemRules.derivedObjectIdentifier(record, institutionIdentifier: "test.edu") == nil)
        record.action = "Ingest"
        record.name = ".tar"
        #expect(WorkItemRules.derivedObjectIdentifier(record, institutionIdentifier: "test.edu") == nil)
    }

    @Test("DOM-115: the requeue table, row by row")
    func requeueTable() throws {
        #expect(try RequeuePlan.forAction("Delete", stage: nil, deleteState: false)
                == RequeuePlan(stage: "Requested", note: "Delete requested", outcome: "Not started", deletesState: false))
        #expect(try RequeuePlan.forAction("Restore", stage: nil, deleteState: true)
                == RequeuePlan(stage: "Requested", note: "Restore requested", outcome: nil, deletesState: true))
        #expect(try RequeuePlan.forAction("Glacier Restore", stage: "Fetch", deleteState: false)
                == RequeuePlan(stage: "Requested", note: "Restore requested", outcome: nil, deletesState: false))
        #expect(try RequeuePlan.forAction("Ingest", stage: "Fetch", deleteState: false)
                == RequeuePlan(stage: "Receive", note: "Item is pending ingest", outcome: nil, deletesState: true))
        #expect(try RequeuePlan.forAction("Ingest", stage: "Store", deleteState: false)
                == RequeuePlan(stage: "Store", note: "Item is pending storage", outcome: nil, deletesState: false))
        #expect(try RequeuePlan.forAction("Ingest", stage: "Record", deleteState: false)
                == RequeuePlan(stage: "Record", note: "Item is pending record", outcome: nil, deletesState: false))
        #expect(try RequeuePlan.forAction("Fixity Check", stage: nil, deleteState: false)
                == RequeuePlan(stage: nil, note: nil, outcome: nil, deletesState: false))
        for stage in [nil, "Receive", "fetch", ""] as [String?] {
            #expect(throws: RegistryError.validation(FieldErrors("stage", "is not included in the list"))) {
                try RequeuePlan.forAction("Ingest", stage: stage, deleteState: false)
            }
        }
    }

    @Test("DOM-67: zlib round trip is byte-exact; the stored form is RFC 1950")
    func compressionRoundTrip() throws {
        let samples: [[UInt8]] = [
            [], Array("not JSON at all\u{1}\n\t\"quoted\" ünïcödé 😀".utf8),
            Array(String(repeating: "{\n  \"key\": [1, 2, 3]\n}\n", count: 50_000).utf8),
            (0..<100_000).map { _ in UInt8.random(in: 0...255) },
        ]
        for text in samples {
            let compressed = StateCompression.compress(text)
            // RFC 1950 header: CM = 8 (deflate), and (CMF << 8 | FLG) divisible by 31.
            #expect(compressed[0] & 0x0F == 8)
            #expect((Int(compressed[0]) << 8 | Int(compressed[1])) % 31 == 0)
            #expect(try StateCompression.decompress(compressed) == text)
        }
        let compressed = StateCompression.compress(Array("hello".utf8))
        #expect(throws: StateCompression.CorruptState.self) { try StateCompression.decompress(Array(compressed.dropLast(2))) }
        #expect(throws: StateCompression.CorruptState.self) { try StateCompression.decompress(compressed + [0]) }
        #expect(throws: StateCompression.CorruptState.self) { try StateCompression.decompress([1, 2, 3]) }
    }
}
