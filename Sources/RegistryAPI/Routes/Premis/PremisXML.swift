import Formats
import HTTPServer
import Postgres

/// Writing PREMIS elements (prefix `premis:`) into a byte buffer: one element per line, indented
/// two spaces per level, all text and attribute values escaped per auditor.md AUD-25
/// (`Formats.XMLEscaping`). Cell values go from the libpq result straight into the buffer.
///
/// Whitespace appears only between elements (element-only content), never inside a text value, so
/// indenting changes nothing a schema or a parser sees.
///
/// The bytes accumulate in a `StreamedJSON` buffer (used here as a plain byte buffer): the same
/// flush-at-64-KiB policy and back-pressure as every other streamed answer.
struct PremisXML {
    /// An attribute whose name and value are constants.
    typealias Attribute = (name: StaticString, value: StaticString)

    var output: StreamedJSON

    init(writer: any ResponseBodyWriter) {
        output = StreamedJSON(writer: writer)
    }

    /// Whether any byte went to the client.
    var started: Bool { output.started }

    mutating func flushIfLarge() throws {
        try output.flushIfLarge()
    }

    mutating func flush() throws {
        try output.flush()
    }

    /// Appends bytes that need no escaping (the prolog, the root element).
    mutating func raw(_ text: StaticString) {
        output.json.bytes.appendStatic(text)
    }

    /// `<premis:name a="v"…>` on its own line (`inline`: text follows on the same line).
    mutating func open(_ name: StaticString, _ level: Int, _ attributes: [Attribute] = [], inline: Bool = false) {
        startTag(name, level, attributes)
        output.json.bytes.appendStatic(inline ? ">" : ">\n")
    }

    /// `</premis:name>` on its own line.
    mutating func close(_ name: StaticString, _ level: Int) {
        indent(level)
        output.json.bytes.appendStatic("</premis:")
        output.json.bytes.appendStatic(name)
        output.json.bytes.appendStatic(">\n")
    }

    /// `<premis:name>constant</premis:name>` (constants are plain text that needs no escaping).
    mutating func leaf(_ name: StaticString, _ level: Int, constant: StaticString, _ attributes: [Attribute] = []) {
        startTag(name, level, attributes)
        output.json.bytes.appendStatic(">")
        output.json.bytes.appendStatic(constant)
        endTag(name)
    }

    /// `<premis:name>escaped text</premis:name>`.
    mutating func leaf(_ name: StaticString, _ level: Int, text: String, _ attributes: [Attribute] = []) {
        startTag(name, level, attributes)
        output.json.bytes.appendStatic(">")
        XMLEscaping.appendText(text, to: &output.json.bytes)
        endTag(name)
    }

    /// `<premis:name>escaped cell</premis:name>`; nothing at all for a NULL cell.
    mutating func leaf(_ name: StaticString, _ level: Int, _ result: PGResult, _ row: Int, _ column: Int,
                       _ attributes: [Attribute] = []) {
        guard !result.isNull(row, column) else { return }
        startTag(name, level, attributes)
        output.json.bytes.appendStatic(">")
        result.withUnsafeBytes(row, column) { XMLEscaping.appendText($0, to: &output.json.bytes) }
        endTag(name)
    }

    /// `<premis:name …valueURI="prefix<escaped cell>">text</premis:name>`: a controlled-vocabulary
    /// term whose URI ends with a value from the database.
    mutating func leaf(_ name: StaticString, _ level: Int, constant: StaticString, valueURIPrefix: StaticString,
                       _ result: PGResult, _ row: Int, _ column: Int) {
        startTag(name, level, [])
        output.json.bytes.appendStatic(" valueURI=\"")
        output.json.bytes.appendStatic(valueURIPrefix)
        result.withUnsafeBytes(row, column) { XMLEscaping.appendAttribute($0, to: &output.json.bytes) }
        output.json.bytes.appendStatic("\">")
        output.json.bytes.appendStatic(constant)
        endTag(name)
    }

    /// A `<premis:container>` holding a `typeName` leaf (a constant) and a `valueName` leaf (a cell):
    /// the identifier pattern every PREMIS entity uses (`objectIdentifier` with
    /// `objectIdentifierType` and `objectIdentifierValue`, …).
    mutating func identifier(_ container: StaticString, _ level: Int, typeName: StaticString, type: StaticString,
                             valueName: StaticString, _ result: PGResult, _ row: Int, _ column: Int) {
        open(container, level)
        leaf(typeName, level + 1, constant: type)
        leaf(valueName, level + 1, result, row, column)
        close(container, level)
    }

    private mutating func startTag(_ name: StaticString, _ level: Int, _ attributes: [Attribute]) {
        indent(level)
        output.json.bytes.appendStatic("<premis:")
        output.json.bytes.appendStatic(name)
        for attribute in attributes {
            output.json.bytes.appendStatic(" ")
            output.json.bytes.appendStatic(attribute.name)
            output.json.bytes.appendStatic("=\"")
            output.json.bytes.appendStatic(attribute.value)
            output.json.bytes.appendStatic("\"")
        }
    }

    private mutating func endTag(_ name: StaticString) {
        output.json.bytes.appendStatic("</premis:")
        output.json.bytes.appendStatic(name)
        output.json.bytes.appendStatic(">\n")
    }

    private mutating func indent(_ level: Int) {
        output.json.bytes.append(contentsOf: repeatElement(0x20, count: level * 2))
    }
}

extension Array where Element == UInt8 {
    /// Appends the UTF-8 bytes of a compile-time constant.
    mutating func appendStatic(_ text: StaticString) {
        text.withUTF8Buffer { append(contentsOf: $0) }
    }
}

extension PremisXML {
    /// `<premis:name>2024-05-01T13:02:03.123456Z</premis:name>` from a timestamptz cell (API-32).
    mutating func timestampLeaf(_ name: StaticString, _ level: Int, _ result: PGResult, _ row: Int, _ column: Int) {
        guard !result.isNull(row, column),
              let timestamp = result.withUnsafeBytes(row, column, { Timestamp(postgresText: $0) })
        else { return }
        open(name, level, inline: true)
        timestamp.appendAPIFormat(to: &output.json.bytes)
        output.json.bytes.appendStatic("</premis:")
        output.json.bytes.appendStatic(name)
        output.json.bytes.appendStatic(">\n")
    }
}
