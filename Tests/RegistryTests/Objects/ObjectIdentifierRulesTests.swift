import RegistryCore
import Testing

/// DOM-11 and DOM-12 as pure functions.
@Suite("objects: identifier rules")
struct ObjectIdentifierRulesTests {
    @Test("DOM-11: valid identifiers", arguments: [
        "test.edu/bag", "test.edu/my bag?#&'%([", "test.edu/caf\u{E9}", "test.edu/..x", "test.edu/.hidden",
        "test.edu/\u{85}next-line",  // C1 controls are not in the forbidden range U+0000–U+001F, U+007F
    ])
    func valid(_ identifier: String) {
        #expect(ObjectIdentifierRules.problem(identifier, institution: "test.edu") == nil)
    }

    @Test("DOM-11: invalid identifiers", arguments: [
        ("test.edu", #"must start with "test.edu/""#), ("test.edux/bag", #"must start with "test.edu/""#),
        ("other.edu/bag", #"must start with "test.edu/""#), ("TEST.edu/bag", #"must start with "test.edu/""#),
        ("test.edu/", "is invalid"), ("test.edu/.", "is invalid"), ("test.edu/..", "is invalid"),
        ("test.edu/a/b", "is invalid"), ("test.edu/a\u{0}b", "is invalid"), ("test.edu/a\u{1F}", "is invalid"),
        ("test.edu/a\u{7F}", "is invalid"),
    ])
    func invalid(_ identifier: String, _ message: String) {
        #expect(ObjectIdentifierRules.problem(identifier, institution: "test.edu") == message)
    }

    @Test("DOM-11: at most 1024 bytes, counted in UTF-8")
    func length() {
        let fits = "test.edu/" + String(repeating: "\u{E9}", count: 507) + "x"  // 9 + 1014 + 1
        #expect(fits.utf8.count == 1024)
        #expect(ObjectIdentifierRules.problem(fits, institution: "test.edu") == nil)
        #expect(ObjectIdentifierRules.problem(fits + "x", institution: "test.edu") == "is too long")
    }

    @Test("DOM-12: bag_name is everything after the first /")
    func derivedBagName() {
        #expect(ObjectIdentifierRules.derivedBagName("test.edu/my bag.tar") == "my bag.tar")
        #expect(ObjectIdentifierRules.derivedBagName("test.edu/caf\u{E9}") == "caf\u{E9}")
    }
}
