@testable import RegistryWeb
import Testing

/// html.md WEB-25: sizes in binary units with one decimal; the unit follows the rounded value.
@Suite("WEB-25: size display")
struct DisplaySizeTests {
    @Test("bytes below 1 KiB, one decimal above, and a value that rounds up to the next unit takes that unit")
    func sizes() {
        let cases: [(Int64, String)] = [
            (0, "0 B"), (1023, "1023 B"), (1024, "1.0 KiB"), (1536, "1.5 KiB"),
            (1_048_575, "1.0 MiB"), (1_048_576, "1.0 MiB"), (1_610_612_736, "1.5 GiB"),
            (1_073_741_823, "1.0 GiB"), (1_073_000_000, "1023.3 MiB"),
        ]
        for (bytes, text) in cases {
            #expect(Display.size(bytes) == text, "\(bytes)")
        }
    }

    @Test("detail pages add the exact bytes as plain digits, as the API's size")
    func exactBytes() {
        #expect(Display.exactBytes(1_610_612_736) == "1610612736 bytes")
        #expect(Display.exactBytes(0) == "0 bytes")
    }
}
