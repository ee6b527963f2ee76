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

    @Test("the event filters' SQL literals are exactly the vocabularies, each value quoted")
    func eventFilterLiterals() {
        for (literals, vocabulary) in [(EventFilterLiterals.eventTypes, Vocabulary.eventType),
                                       (EventFilterLiterals.outcomes, Vocabulary.eventOutcome)] {
            #expect(Set(literals.keys) == vocabulary)
            for (value, literal) in literals {
                #expect("\(literal)" == "'\(value)'", "\(value)")
                #expect(!value.contains("'"), "\(value) needs no escaping")
            }
        }
        let one = EventFilterLiterals.condition("e.event_type", ["deletion"], literals: EventFilterLiterals.eventTypes)
        #expect(one.sql == "e.event_type = 'deletion'")
        let two = EventFilterLiterals.condition("e.outcome", ["Failed", "Failure"], literals: EventFilterLiterals.outcomes)
        #expect(two.sql == "e.outcome IN ('Failed', 'Failure')")
        let unknown = EventFilterLiterals.condition("e.outcome", ["Other"], literals: EventFilterLiterals.outcomes)
        #expect(unknown.sql == "e.outcome = $1")
    }
}
