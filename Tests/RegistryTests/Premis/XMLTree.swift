import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// A parsed XML element (namespace-aware: `name` is the local name), built with Foundation's
/// XMLParser so that the PREMIS tests check the document as any XML consumer reads it — not the
/// server's bytes with the server's own code.
final class XMLElementNode {
    let name: String
    let namespace: String?
    let attributes: [String: String]
    var children: [XMLElementNode] = []
    /// Character data directly inside this element (whitespace between child elements included).
    var text = ""

    init(name: String, namespace: String?, attributes: [String: String]) {
        self.name = name
        self.namespace = namespace
        self.attributes = attributes
    }

    var childNames: [String] { children.map(\.name) }

    /// The children called `name`, in order.
    func all(_ name: String) -> [XMLElementNode] { children.filter { $0.name == name } }

    /// The first child called `name`.
    func child(_ name: String) -> XMLElementNode? { children.first { $0.name == name } }

    /// The text of the descendant reached by `path` (e.g. `["objectIdentifier", "objectIdentifierValue"]`).
    func text(_ path: String...) -> String? {
        var node: XMLElementNode? = self
        for name in path { node = node?.child(name) }
        return node?.text
    }

    /// An attribute by local name, whatever prefix the parser reports it with.
    func attribute(_ name: String) -> String? {
        attributes[name] ?? attributes.first { $0.key.hasSuffix(":" + name) }?.value
    }

    /// Parses `bytes`; throws with the parser's message if the document is not well-formed.
    static func parse(_ bytes: [UInt8]) throws -> XMLElementNode {
        let parser = XMLParser(data: Data(bytes))
        parser.shouldProcessNamespaces = true
        let builder = TreeBuilder()
        parser.delegate = builder
        guard parser.parse(), let root = builder.root else {
            throw XMLTreeError(message: parser.parserError.map { String(describing: $0) } ?? "no root element")
        }
        return root
    }
}

struct XMLTreeError: Error, CustomStringConvertible {
    let message: String
    var description: String { "XML not well-formed: \(message)" }
}

private final class TreeBuilder: NSObject, XMLParserDelegate {
    var root: XMLElementNode?
    private var stack: [XMLElementNode] = []

    func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?,
                attributes: [String: String] = [:]) {
        let node = XMLElementNode(name: elementName, namespace: namespaceURI, attributes: attributes)
        if let parent = stack.last { parent.children.append(node) } else { root = node }
        stack.append(node)
    }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?) {
        stack.removeLast()
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        stack.last?.text += string
    }
}
