import CryptoSupport
import Testing

@Suite struct SHA256Tests {
    @Test("FIPS 180-4 vectors: \"abc\", empty, two-block message")
    func knownVectors() {
        #expect(SHA256.hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SHA256.hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(
            SHA256.hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    }

    @Test("All entry points return the same 32 bytes")
    func entryPoints() {
        let bytes = Array("abc".utf8)
        let expected = TestHex.decode("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SHA256.hash(bytes) == expected)
        #expect(SHA256.hash("abc") == expected)
        #expect(bytes.withUnsafeBytes { SHA256.hash($0) } == expected)
        #expect(SHA256.hash(bytes[...]) == expected)
        #expect(SHA256.hash("abc".utf8) == expected)
        #expect(SHA256.hex(bytes) == TestHex.encode(expected))
        #expect(SHA256.hash([UInt8]()).count == 32)
    }

    @Test("The incremental hasher matches the one-shot digest and resets after finalize")
    func incrementalHasher() {
        let message = Array("The quick brown fox jumps over the lazy dog".utf8)
        let hasher = SHA256Hasher()
        hasher.update(Array(message[0..<10]))
        hasher.update("")
        message[10...].withUnsafeBytes { hasher.update($0) }
        let first = hasher.finalize()
        #expect(first == SHA256.hash(message))
        #expect(TestHex.encode(first) == "d7a8fbb307d7809469ca9abcb0082e4f8d5651e46d3cdb762d02d0bf37c9e592")
        hasher.update("abc")
        #expect(TestHex.encode(hasher.finalize()) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(hasher.finalize() == SHA256.hash([UInt8]()))
    }

    @Test("A one-million-byte message (FIPS 180-4 \"a\" × 10^6)")
    func millionA() {
        let message = [UInt8](repeating: 0x61, count: 1_000_000)
        #expect(TestHex.encode(SHA256.hash(message)) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }
}
