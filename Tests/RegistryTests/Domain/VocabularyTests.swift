import RegistryCore
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
}
