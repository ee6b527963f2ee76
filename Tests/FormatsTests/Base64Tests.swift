import Formats
import Testing

@Suite struct Base64Tests {
    /// RFC 4648 §10 test vectors.
    static let vectors: [(String, String)] = [
        ("", ""), ("f", "Zg=="), ("fo", "Zm8="), ("foo", "Zm9v"), ("foob", "Zm9vYg=="), ("fooba", "Zm9vYmE="),
        ("foobar", "Zm9vYmFy"),
    ]

    @Test("RFC 4648 vectors, padded")
    func padded() {
        for (plain, encoded) in Self.vectors {
            #expect(Base64.encode(Array(plain.utf8)) == encoded)
            #expect(Base64.decode(encoded) == Array(plain.utf8))
        }
    }

    @Test("RFC 4648 vectors, unpadded")
    func unpadded() {
        for (plain, encoded) in Self.vectors {
            let bare = String(encoded.filter { $0 != "=" })
            #expect(Base64.encode(Array(plain.utf8), padding: false) == bare)
            #expect(Base64.decode(bare, padding: false) == Array(plain.utf8))
        }
    }

    @Test("WEB-3: the salt bytes 0x00..0x0f encode as AAECAwQFBgcICQoLDA0ODw")
    func web3Salt() {
        let salt = (0..<16).map { UInt8($0) }
        #expect(Base64.encode(salt, padding: false) == "AAECAwQFBgcICQoLDA0ODw")
        #expect(Base64.encode(salt) == "AAECAwQFBgcICQoLDA0ODw==")
        #expect(Base64.decode("AAECAwQFBgcICQoLDA0ODw", padding: false) == salt)
    }

    @Test("Standard and URL alphabets differ only in the last two characters")
    func alphabets() {
        let bytes: [UInt8] = [0xFB, 0xFF, 0xBF]
        #expect(Base64.encode(bytes) == "+/+/")
        #expect(Base64URL.encode(bytes) == "-_-_")
        #expect(Base64URL.decode("-_-_") == bytes)
        #expect(Base64URL.decode("+/+/") == nil)
        #expect(Base64.decode("-_-_") == nil)
        #expect(Base64URL.encode([0xFF]) == "_w")
        #expect(Base64URL.decode("_w") == [0xFF])
    }

    @Test("WEB-5: a 32-byte session id is 43 base64url characters without padding")
    func sessionIdLength() {
        let bytes = [UInt8](repeating: 0xA5, count: 32)
        let text = Base64URL.encode(bytes)
        #expect(text.count == 43)
        #expect(!text.contains("="))
        #expect(Base64URL.decode(text) == bytes)
    }

    @Test("Strict decoding rejects malformed input")
    func strictDecoding() {
        #expect(Base64.decode("Zg=") == nil)  // padded input must be a multiple of 4
        #expect(Base64.decode("Zg") == nil)
        #expect(Base64.decode("Zg==", padding: false) == nil)  // no "=" when unpadded
        #expect(Base64.decode("Z", padding: false) == nil)  // impossible length
        #expect(Base64.decode("Z===") == nil)
        #expect(Base64.decode("====") == nil)
        #expect(Base64.decode("Zg==Zg==") == nil)  // padding in the middle
        #expect(Base64.decode("Zh==") == nil)  // non-zero unused bits
        #expect(Base64.decode("Zm9=") == nil)
        #expect(Base64.decode("Zm 9v") == nil)
        #expect(Base64.decode("Zm9v\n") == nil)
        #expect(Base64URL.decode("Zg==") == nil)
    }

    @Test("Round trip over all lengths 0-64")
    func roundTrip() {
        for length in 0...64 {
            let bytes = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }
            #expect(Base64.decode(Base64.encode(bytes)) == bytes)
            #expect(Base64.decode(Base64.encode(bytes, padding: false), padding: false) == bytes)
            #expect(Base64URL.decode(Base64URL.encode(bytes)) == bytes)
        }
    }
}
