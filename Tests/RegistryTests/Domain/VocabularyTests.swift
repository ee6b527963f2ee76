import Postgres
@testable import RegistryCore
import Testing

/// DOM-5: vocabulary membership compares UTF-8 bytes, not Swift's canonical equivalence.
@Suite("Vocabulary membership")
struct VocabularyTests {
    @Test("a canonically equivalent but different spelling is not a vocabulary value")
    func byteExact() {
        let set: Set<String> = ["Kelvin"]
        let kelvinSign = "\u{212A}elvin"
        #expect(set.contains(kelvinSign), "Swift's Set finds it (canonical equivalence)…")
        #expect(!set.containsExactly(kelvinSign), "…the registry must not")
        #expect(set.containsExactly("Kelvin"))
        #expect(Vocabulary.storageOption.containsExactly("Standard"))
        #expect(!Vocabulary.storageOption.containsExactly("standard"))
    }

    @Test("the event filters' SQL literals are exactly the vocabularies; few distinct texts")
    func eventFilterLiterals() {
        #expect(Set(EventFilterLiterals.eventTypes.keys) == Vocabulary.eventType)
        #expect(Set(EventFilterLiterals.outcomes.map(\.value)) == Vocabulary.eventOutcome)
        let pairs = EventFilterLiterals.eventTypes.map { ($0.key, $0.value) } + EventFilterLiterals.outcomes.map { ($0.value, $0.literal) }
        for (value, literal) in pairs {
            #expect("\(literal)" == "'\(value)'", "\(value)")
            #expect(!value.contains("'"), "\(value) needs no escaping")
        }
        #expect(EventFilterLiterals.eventTypeCondition(["deletion"]).sql == "e.event_type = 'deletion'")
        #expect(EventFilterLiterals.eventTypeCondition(["deletion", "deletion"]).sql == "e.event_type = 'deletion'")
        // Several types: one text whatever the set and its order.
        let several = EventFilterLiterals.eventTypeCondition(["deletion", "capture"])
        #expect(several.sql == "e.event_type = ANY($1)")
        #expect(EventFilterLiterals.eventTypeCondition(["capture", "deletion", "capture"]).sql == several.sql)
        // Outcomes: the distinct values in a fixed order, so at most 7 texts.
        #expect(EventFilterLiterals.outcomeCondition(["Success"]).sql == "e.outcome = 'Success'")
        #expect(EventFilterLiterals.outcomeCondition(["Failed", "Failure"]).sql == "e.outcome IN ('Failure', 'Failed')")
        #expect(EventFilterLiterals.outcomeCondition(["Failure", "Failed", "Failed"]).sql == "e.outcome IN ('Failure', 'Failed')")
        #expect(EventFilterLiterals.outcomeCondition(["Other"]).sql == "e.outcome = ANY($1)")
        #expect(EventFilterLiterals.outcomeCondition(["Success", "Other"]).sql == "e.outcome = ANY($1)")
    }
}
