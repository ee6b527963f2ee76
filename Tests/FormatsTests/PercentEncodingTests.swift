import Formats
import Testing

@Suite struct PercentEncodingTests {
    @Test("WEB-10: the example next parameter")
    func web10Example() {
        #expect(PercentEncoding.encode("/objects/test.edu%2Fb?state=A") == "%2Fobjects%2Ftest.edu%252Fb%3Fstate%3DA")
    }

    @Test("Unreserved characters pass; every other byte is %XX with upper-case hex")
    func characterClasses() {
        let unreserved = "ABCXYZabcxyz0189-_.~"
        #expect(PercentEncoding.encode(unreserved) == unreserved)
        #expect(PercentEncoding.encode(" +/&=#%\"'<>\\") == "%20%2B%2F%26%3D%23%25%22%27%3C%3E%5C")
        #expect(PercentEncoding.encode("é") == "%C3%A9")
        #expect(PercentEncoding.encode("\u{00}\u{7F}") == "%00%7F")
        #expect(PercentEncoding.encode("") == "")
        #expect(PercentEncoding.encode("test.edu/bag 1") == "test.edu%2Fbag%201")
    }

    @Test("Every byte value: unreserved kept, others encoded")
    func everyByte() {
        for byte in UInt8(0)...0x7F {
            var output: [UInt8] = []
            [byte].withUnsafeBufferPointer { PercentEncoding.append($0, to: &output) }
            let isUnreserved =
                (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte) || (0x30...0x39).contains(byte)
                || byte == 0x2D || byte == 0x5F || byte == 0x2E || byte == 0x7E
            #expect(output.count == (isUnreserved ? 1 : 3), "byte \(byte)")
        }
    }
}
