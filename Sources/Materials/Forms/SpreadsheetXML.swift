import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// A small element tree of an OOXML part: spreadsheet parts are small, and a tree keeps the
/// readers declarative. Names are local names (any `x:` prefix dropped).
final class SpreadsheetXMLElement {
    let name: String
    let attributes: [String: String]
    var children: [SpreadsheetXMLElement] = []
    var text = ""

    init(name: String, attributes: [String: String]) {
        self.name = name
        self.attributes = attributes
    }

    func child(_ name: String) -> SpreadsheetXMLElement? { children.first { $0.name == name } }
    func children(_ name: String) -> [SpreadsheetXMLElement] { children.filter { $0.name == name } }

    /// All descendants with that name, in document order.
    func descendants(_ name: String) -> [SpreadsheetXMLElement] {
        var found: [SpreadsheetXMLElement] = []
        for child in children {
            if child.name == name { found.append(child) }
            found.append(contentsOf: child.descendants(name))
        }
        return found
    }

    /// An attribute by local name, whatever namespace prefix the writer chose ("r:id").
    func attribute(_ localName: String) -> String? {
        if let value = attributes[localName] { return value }
        return attributes.first { SpreadsheetXMLElement.localName($0.key) == localName }?.value
    }

    static func localName(_ qualified: String) -> String {
        qualified.split(separator: ":").last.map(String.init) ?? qualified
    }

    /// Parses a whole part; throws when the XML is malformed.
    static func parse(_ data: Data) throws -> SpreadsheetXMLElement {
        let builder = TreeBuilder()
        let parser = XMLParser(data: data)
        parser.shouldProcessNamespaces = false
        parser.shouldResolveExternalEntities = false
        parser.delegate = builder
        guard parser.parse(), let root = builder.root else {
            throw SpreadsheetError.malformedPart(parser.parserError.map { "\($0)" } ?? "no root element")
        }
        return root
    }

    private final class TreeBuilder: NSObject, XMLParserDelegate {
        var root: SpreadsheetXMLElement?
        private var stack: [SpreadsheetXMLElement] = []

        func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                    qualifiedName qName: String?, attributes attributeDict: [String: String] = [:]) {
            let element = SpreadsheetXMLElement(name: SpreadsheetXMLElement.localName(elementName),
                                                attributes: attributeDict)
            if let parent = stack.last { parent.children.append(element) } else { root = element }
            stack.append(element)
        }

        func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?,
                    qualifiedName qName: String?) {
            _ = stack.popLast()
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            stack.last?.text += string
        }
    }
}
