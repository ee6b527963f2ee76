import Formats
import Testing

/// HTML escaping of dynamic text (html.md WEB-18).
@Suite struct HTMLEscapingTests {
    @Test("WEB-18: the five special characters")
    func specialCharacters() {
        #expect(HTMLEscaping.escape("&<>\"'") == "&amp;&lt;&gt;&quot;&#39;")
    }

    @Test("WEB-18: the spec's script title and attribute-breaking file name")
    func specExamples() {
        #expect(HTMLEscaping.escape("<script>alert(1)</script>") == "&lt;script&gt;alert(1)&lt;/script&gt;")
        #expect(HTMLEscaping.escape("a\"onmouseover=\"x.txt") == "a&quot;onmouseover=&quot;x.txt")
    }

    @Test("Text without special characters is unchanged")
    func unchanged() {
        #expect(HTMLEscaping.escape("test.edu/bag1 café") == "test.edu/bag1 café")
        #expect(HTMLEscaping.escape("") == "")
    }

    @Test("Byte and String appenders agree with escape()")
    func appenders() {
        let text = "O'Brien & <Sons>"
        var bytes = Array("<td>".utf8)
        HTMLEscaping.append(text, to: &bytes)
        #expect(String(decoding: bytes, as: UTF8.self) == "<td>O&#39;Brien &amp; &lt;Sons&gt;")
        var page = "<td>"
        HTMLEscaping.append(text, to: &page)
        #expect(page == "<td>" + HTMLEscaping.escape(text))
    }
}
