/// Hex helpers for the tests (CryptoSupportTests depends only on CryptoSupport).
enum TestHex {
    static func encode(_ bytes: [UInt8]) -> String {
        bytes.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
    }

    static func decode(_ text: String) -> [UInt8] {
        let characters = Array(text.utf8)
        return stride(from: 0, to: characters.count, by: 2).map {
            UInt8(String(decoding: characters[$0..<$0 + 2], as: UTF8.self), radix: 16)!
        }
    }
}
