import RegistryCore
import Testing

/// domain.md DOM-18: `^[^@\s]+@[^@\s]+\.[^@\s]+$`, at most 254 bytes.
@Suite("DOM-18: e-mail format")
struct EmailRulesTests {
    @Test("valid and invalid addresses follow the spec's regular expression")
    func format() {
        for valid in ["a@b.c", "user@test.edu", "a@b.c.", "first.last+tag@sub.example.org", "x@a..b",
                      String(repeating: "a", count: 249) + "@b.cd"] {  // exactly 254 bytes
            #expect(EmailRules.isValid(valid), "\(valid)")
        }
        for invalid in ["", "a", "@b.c", "a@", "a@b", "a@.c", "a@b.", "a@@b.c", "a b@c.d", "a@b c.d", "a@b.c\t",
                        "a@b@c.d", String(repeating: "a", count: 250) + "@b.cd"] {
            #expect(!EmailRules.isValid(invalid), "\(invalid)")
        }
    }
}
