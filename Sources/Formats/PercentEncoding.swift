/// Percent-encoding for links and redirect targets the server generates (html.md: identifiers in
/// links, WEB-10 `next`): every byte except the unreserved `A–Z a–z 0–9 - _ . ~` becomes `%XX`
/// with upper-case hex, so decoding once gives the original bytes back.
public enum PercentEncoding {
    /// The percent-encoded UTF-8 of `text`.
    public static func encode(_ text: String) -> String {
        var output: [UInt8] = []
        output.reserveCapacity(text.utf8.count + 16)
        append(text, to: &output)
        return String(decoding: output, as: UTF8.self)
    }

    /// Appends the percent-encoded UTF-8 of `text`.
    public static func append(_ text: String, to output: inout [UInt8]) {
        withUTF8Bytes(of: text) { append($0, to: &output) }
    }

    /// Appends the percent-encoded form of `bytes`.
    public static func append(_ bytes: UnsafeBufferPointer<UInt8>, to output: inout [UInt8]) {
        var runStart = 0
        for index in 0..<bytes.count {
            let byte = bytes[index]
            if isUnreserved(byte) { continue }
            output.appendRun(bytes, from: runStart, to: index)
            output.append(0x25)  // "%"
            output.append(upperHexDigit(byte >> 4))
            output.append(upperHexDigit(byte & 0x0F))
            runStart = index + 1
        }
        output.appendRun(bytes, from: runStart, to: bytes.count)
    }

    private static func isUnreserved(_ byte: UInt8) -> Bool {
        switch byte {
        case 0x41...0x5A, 0x61...0x7A, 0x30...0x39, 0x2D, 0x5F, 0x2E, 0x7E: return true
        default: return false
        }
    }
}
