import Foundation

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
        var root: SpreadsheetXMLElement?
        var stack: [SpreadsheetXMLElement] = []
        do {
            try XMLEvents.read(data) { event in
                switch event {
                case .start(let start):
                    // Namespace declarations count as attributes ("xmlns:r"), as they did under XMLParser.
                    var attributes: [String: String] = [:]
                    for (prefix, uri) in start.namespaceDeclarations { attributes[prefix.isEmpty ? "xmlns" : "xmlns:" + prefix] = uri }
                    attributes.merge(start.attributes) { _, attribute in attribute }
                    let element = SpreadsheetXMLElement(name: start.localName, attributes: attributes)
                    if let parent = stack.last { parent.children.append(element) } else { root = element }
                    stack.append(element)
                case .end:
                    _ = stack.popLast()
                case .text(let text):
                    stack.last?.text += text
                }
            }
        } catch {
            throw SpreadsheetError.malformedPart("\(error)")
        }
        guard let root else { throw SpreadsheetError.malformedPart("no root element") }
        return root
    }
}
