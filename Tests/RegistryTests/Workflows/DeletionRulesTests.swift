import CryptoSupport
import Foundation
import Formats
import Testing
@testable import RegistryAPI
@testable import RegistryCore

/// The pure rules of the workflows: who may take which step (domain.md §7.2, DOM-121, DOM-131,
/// DOM-132), notification recipients (§8.9), tokens (DOM-120), UUIDs (DOM-125), restore actions
/// (DOM-110) and the bulk body (DOM-130).
@Suite("Workflows: rules")
struct DeletionRulesTests {
    static func caller(_ id: Int64, _ role: Role, institution: Int64 = 2) -> Caller {
        Caller(userID: id, email: "u\(id)@x.edu", role: role, institutionID: institution, institutionIdentifier: "x.edu",
               authMethod: "api_key:1")
    }

    static func request(kind: String = "object", status: String = "requested", requester: Int64 = 10,
                        institution: Int64 = 2) -> DeletionRequestRecord {
        DeletionRequestRecord(id: 1, institutionID: institution, institutionIdentifier: "x.edu", kind: kind, status: status,
                              requestedByID: requester, requesterEmail: "u\(requester)@x.edu", tokenHash: nil,
                              isExpired: false, instApproverID: nil, instApproverEmail: nil, aptrustApproverEmail: nil)
    }

    @Test("DOM-121: only an inst admin of the institution confirms; the requester only when sole; admins never")
    func confirmSingle() {
        let request = Self.request()
        #expect(DeletionRules.mayConfirmSingle(Self.caller(11, .institutionalAdmin), request: request,
                                               requesterIsSoleInstitutionalAdmin: false))
        #expect(!DeletionRules.mayConfirmSingle(Self.caller(10, .institutionalAdmin), request: request,
                                                requesterIsSoleInstitutionalAdmin: false))
        #expect(DeletionRules.mayConfirmSingle(Self.caller(10, .institutionalAdmin), request: request,
                                               requesterIsSoleInstitutionalAdmin: true))
        #expect(!DeletionRules.mayConfirmSingle(Self.caller(11, .institutionalAdmin, institution: 3), request: request,
                                                requesterIsSoleInstitutionalAdmin: true))
        #expect(!DeletionRules.mayConfirmSingle(Self.caller(11, .admin), request: request,
                                                requesterIsSoleInstitutionalAdmin: true))
        #expect(!DeletionRules.mayConfirmSingle(Self.caller(11, .institutionalUser), request: request,
                                                requesterIsSoleInstitutionalAdmin: true))
    }

    @Test("DOM-131/132: institution step for the institution's inst admins; APTrust step for admins other than the requester unless sole")
    func bulkSteps() {
        let request = Self.request(kind: "bulk", requester: 1)
        #expect(DeletionRules.mayApproveForInstitution(Self.caller(5, .institutionalAdmin), request: request))
        #expect(!DeletionRules.mayApproveForInstitution(Self.caller(5, .institutionalAdmin, institution: 9), request: request))
        #expect(!DeletionRules.mayApproveForInstitution(Self.caller(5, .admin), request: request))
        #expect(DeletionRules.mayApproveForAPTrust(Self.caller(2, .admin), request: request, requesterIsSoleAdmin: false))
        #expect(!DeletionRules.mayApproveForAPTrust(Self.caller(1, .admin), request: request, requesterIsSoleAdmin: false))
        #expect(DeletionRules.mayApproveForAPTrust(Self.caller(1, .admin), request: request, requesterIsSoleAdmin: true))
        #expect(!DeletionRules.mayApproveForAPTrust(Self.caller(2, .institutionalAdmin), request: request, requesterIsSoleAdmin: true))
    }

    @Test("The step a request waits for, by kind and status")
    func steps() {
        #expect(DeletionRules.step(kind: "object", status: "requested") == .confirmSingle)
        #expect(DeletionRules.step(kind: "file", status: "requested") == .confirmSingle)
        #expect(DeletionRules.step(kind: "bulk", status: "requested") == .approveForInstitution)
        #expect(DeletionRules.step(kind: "bulk", status: "institution_approved") == .approveForAPTrust)
        for status in ["approved", "completed", "cancelled"] {
            #expect(DeletionRules.step(kind: "bulk", status: status) == nil)
            #expect(DeletionRules.step(kind: "object", status: status) == nil)
        }
    }

    @Test("§8.9: 'minus requester unless sole' and the union of recipient lists")
    func recipients() {
        let a = DeletionPeople.Person(id: 1, email: "a@x.edu")
        let b = DeletionPeople.Person(id: 2, email: "b@x.edu")
        #expect(DeletionPeople.recipients([a, b], exceptRequester: 1) == ["b@x.edu"])
        #expect(DeletionPeople.recipients([a], exceptRequester: 1) == ["a@x.edu"])
        #expect(DeletionPeople.recipients([a, b], exceptRequester: 7) == ["a@x.edu", "b@x.edu"])
        #expect(DeletionPeople.isSole(1, in: [a]) && !DeletionPeople.isSole(1, in: [a, b]) && !DeletionPeople.isSole(2, in: [a]))
        #expect(DeletionPeople.union(["b@x.edu", "a@x.edu"], ["a@x.edu", "c@x.edu"]) == ["b@x.edu", "a@x.edu", "c@x.edu"])
    }

    @Test("DOM-120: tokens are 64 lower-case hex, stored as SHA-256, compared in full")
    func tokens() {
        let token = DeletionToken.generate()
        #expect(token.plaintext.count == 64)
        #expect(token.plaintext.allSatisfy { "0123456789abcdef".contains($0) })
        #expect(token.hash == Hex.encode(SHA256.hash(token.plaintext)))
        #expect(DeletionToken.matches(token.plaintext, storedHash: token.hash))
        #expect(!DeletionToken.matches(token.plaintext.uppercased(), storedHash: token.hash))
        #expect(!DeletionToken.matches(String(token.plaintext.dropLast()), storedHash: token.hash))
        #expect(!DeletionToken.matches(token.plaintext, storedHash: nil))
        #expect(DeletionToken.generate().plaintext != token.plaintext)
    }

    @Test("DOM-125: server event identifiers are random version-4 UUIDs in lower case")
    func uuids() {
        let uuid = SecureRandom.uuidV4()
        #expect(IdentifierKind.isUUID(uuid))
        #expect(uuid == uuid.lowercased())
        let characters = Array(uuid)
        #expect(characters[14] == "4")
        #expect("89ab".contains(characters[19]))
        #expect(SecureRandom.uuidV4() != uuid)
    }

    @Test("DOM-110: Restore for Standard storage, Glacier Restore for every Glacier option")
    func restoreAction() {
        #expect(RestoreStore.restoreAction(storageOption: "Standard") == "Restore")
        for option in ["Glacier-OH", "Glacier-OR", "Glacier-VA", "Glacier-Deep-OH", "Glacier-Deep-OR", "Glacier-Deep-VA"] {
            #expect(RestoreStore.restoreAction(storageOption: option) == "Glacier Restore")
        }
    }

    @Test("DOM-5: bulk entries are de-duplicated by UTF-8 bytes, not by canonical equivalence")
    func uniqueEntries() {
        let composed = "test.edu/caf\u{E9}"
        let decomposed = "test.edu/cafe\u{301}"
        #expect(BulkDeletionStore.uniqueByBytes([composed, decomposed, composed]) == [composed, decomposed])
    }
}
