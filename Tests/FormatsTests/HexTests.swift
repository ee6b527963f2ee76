import Formats
import Testing

@Suite struct HexTests {
    @Test("Encodes lower-case, two digits per byte")
    func encode() {
        #expect(Hex.encode([0x00, 0x01, 0x7F, 0x80, 0xAB, 0xFF]) == "00017f80abff")
        #expect(Hex.encode([UInt8]()) == "")
        #expect(Hex.encode(Array(0...255)).count == 512)
        var output = Array("h=".utf8)
        Hex.append([0xDE, 0xAD], to: &output)
        #expect(String(decoding: output, as: UTF8.self) == "h=dead")
    }

    @Test("Decodes both cases; rejects odd length and non-hex characters")
    func decode() {
        #expect(Hex.decode("00017f80abff") == [0x00, 0x01, 0x7F, 0x80, 0xAB, 0xFF])
        #expect(Hex.decode("DEADbeef") == [0xDE, 0xAD, 0xBE, 0xEF])
        #expect(Hex.decode("") == [])
        #expect(Hex.decode("abc") == nil)
        #expect(Hex.decode("0g") == nil)
        #expect(Hex.decode("0 ") == nil)
        #expect(Hex.decode("-1") == nil)
        #expect(Hex.decode("éé") == nil)
    }

    @Test("Round trip over all byte values")
    func roundTrip() {
        let bytes = (0...255).map { UInt8($0) }
        #expect(Hex.decode(Hex.encode(bytes)) == bytes)
        #expect(Hex.decode(Hex.encode(bytes).uppercased()) == bytes)
    }
}
