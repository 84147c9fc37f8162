import CXML
import Foundation

/// Reads an XML document from untrusted bytes (an OOXML part) as a stream of events, with
/// libxml2's SAX2 parser driven directly. Foundation's XMLParser is not used on such bytes: it
/// traps on some of them (it force-unwraps element names that are not UTF-8).
///
/// Hardened for hostile input: no network, no DTD (a document that declares one is refused before
/// its internal subset is read, so no entity is ever declared or expanded), no XML_PARSE_HUGE,
/// and our own caps on input size and element depth. Any error ends the read with a thrown error;
/// nothing traps.
enum XMLEvents {
    struct Limits: Sendable {
        /// Bytes of input; a part past this is refused unread.
        var maxBytes: Int
        /// Open elements at once. libxml2 stops at 256 itself (without XML_PARSE_HUGE), as it did
        /// under XMLParser; real Word and Excel parts nest a few dozen deep.
        var maxDepth: Int

        /// 128 MiB: the largest part `ContainerLimits.default` lets out of a ZIP.
        static let standard = Limits(maxBytes: 128 << 20, maxDepth: 256)
    }

    enum Failure: Error, Equatable, CustomStringConvertible {
        case tooLarge(limit: Int)
        case tooDeep(limit: Int)
        /// The document declares a DTD (`<!DOCTYPE`), which OOXML forbids.
        case documentTypeDeclaration
        /// Not well-formed XML (or not namespace-well-formed); libxml2's first message.
        case malformed(String)

        var description: String {
            switch self {
            case .tooLarge(let limit): "XML larger than \(limit) bytes"
            case .tooDeep(let limit): "XML nested deeper than \(limit) elements"
            case .documentTypeDeclaration: "XML with a DTD"
            case .malformed(let message): message
            }
        }
    }

    /// Calls `handle` with each event in document order. Throws a `Failure`, or whatever
    /// `handle` threw (which stops the parse).
    static func read(_ data: Data, limits: Limits = .standard, _ handle: (XMLEvent) throws -> Void) throws {
        guard data.count <= limits.maxBytes, data.count <= Int(Int32.max) else { throw Failure.tooLarge(limit: limits.maxBytes) }
        guard !data.isEmpty else { throw Failure.malformed("empty document") }
        _ = libxml2Initialised
        try withoutActuallyEscaping(handle) { handle in
            let session = XMLEventSession(handle: handle, maxDepth: limits.maxDepth)
            let user = Unmanaged.passUnretained(session).toOpaque()
            var sax = saxHandler()
            let status: Int32 = withExtendedLifetime(session) {
                data.withUnsafeBytes { raw in
                    guard let base = raw.baseAddress,
                          let context = tuibao_xml_create(&sax, user, base.assumingMemoryBound(to: CChar.self),
                                                          Int32(raw.count), Int32(XML_PARSE_NONET.rawValue)) else { return -2 }
                    session.context = context
                    // Errors libxml2 raises outside the context (encoding conversion) go here too,
                    // not to stderr. The handler is per thread in libxml2.
                    xmlSetStructuredErrorFunc(user, XMLEventSession.recordError)
                    defer {
                        xmlSetStructuredErrorFunc(nil, nil)
                        session.context = nil
                        tuibao_xml_free(context)
                    }
                    return tuibao_xml_parse(context)
                }
            }
            if let failure = session.failure { throw failure }
            guard status == 0 else { throw Failure.malformed(session.firstError ?? "not well-formed XML") }
        }
    }

    private static let libxml2Initialised: Void = xmlInitParser()

    /// SAX2 callbacks; each finds its session through the user-data pointer.
    private static func saxHandler() -> xmlSAXHandler {
        var sax = xmlSAXHandler()
        sax.initialized = tuibao_xml_sax2_magic
        sax.startElementNs = { user, localName, _, uri, namespaceCount, namespaces, attributeCount, _, attributes in
            XMLEventSession.from(user)?.startElement(
                localName: localName, uri: uri, namespaceCount: Int(namespaceCount), namespaces: namespaces,
                attributeCount: Int(attributeCount), attributes: attributes)
        }
        sax.endElementNs = { user, _, _, _ in XMLEventSession.from(user)?.endElement() }
        sax.characters = { user, bytes, length in XMLEventSession.from(user)?.characters(bytes, Int(length)) }
        sax.ignorableWhitespace = sax.characters
        // CDATA is not reported, as under XMLParser (whose delegates here ignored it).
        sax.cdataBlock = { _, _, _ in }
        sax.internalSubset = { user, _, _, _ in XMLEventSession.from(user)?.stop(Failure.documentTypeDeclaration) }
        sax.externalSubset = { user, _, _, _ in XMLEventSession.from(user)?.stop(Failure.documentTypeDeclaration) }
        sax.serror = XMLEventSession.recordError
        return sax
    }
}

/// One event of `XMLEvents.read`.
enum XMLEvent {
    case start(XMLElementStart)
    /// The innermost open element closes (an empty element `<a/>` gives a start and an end).
    case end
    /// Character data with entities and character references decoded; one run of text may come
    /// in several pieces. White space between elements is text too.
    case text(String)
}

struct XMLElementStart {
    /// The name without its prefix ("p" for `w:p`).
    var localName: String
    /// The element's namespace; "" when it has none.
    var namespaceURI: String
    /// Attributes by qualified name as written ("w:val", "Id"); namespace declarations are not among them.
    var attributes: [String: String]
    /// The namespaces this element declares: prefix ("" for the default namespace) and URI.
    var namespaceDeclarations: [(prefix: String, uri: String)]
}

/// The state of one parse, reached from libxml2's callbacks through the user-data pointer.
private final class XMLEventSession {
    let handle: (XMLEvent) throws -> Void
    let maxDepth: Int
    var context: xmlParserCtxtPtr?
    var depth = 0
    /// Set once: what stopped the parse (a limit, a DTD, or an error thrown by `handle`).
    var failure: (any Error)?
    var firstError: String?

    init(handle: @escaping (XMLEvent) throws -> Void, maxDepth: Int) {
        self.handle = handle
        self.maxDepth = maxDepth
    }

    static func from(_ user: UnsafeMutableRawPointer?) -> XMLEventSession? {
        guard let user else { return nil }
        let session = Unmanaged<XMLEventSession>.fromOpaque(user).takeUnretainedValue()
        return session.failure == nil ? session : nil
    }

    static let recordError: xmlStructuredErrorFunc = { user, error in
        guard let user, let error else { return }
        let session = Unmanaged<XMLEventSession>.fromOpaque(user).takeUnretainedValue()
        guard session.firstError == nil, error.pointee.level.rawValue >= XML_ERR_ERROR.rawValue else { return }
        let message = error.pointee.message.map { String(cString: $0) } ?? "XML error \(error.pointee.code)"
        session.firstError = "line \(error.pointee.line): " + message.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    func stop(_ error: any Error) {
        if failure == nil { failure = error }
        if let context { xmlStopParser(context) }
    }

    private func deliver(_ event: XMLEvent) {
        do { try handle(event) } catch { stop(error) }
    }

    func startElement(localName: UnsafePointer<xmlChar>?, uri: UnsafePointer<xmlChar>?,
                      namespaceCount: Int, namespaces: UnsafeMutablePointer<UnsafePointer<xmlChar>?>?,
                      attributeCount: Int, attributes: UnsafeMutablePointer<UnsafePointer<xmlChar>?>?) {
        depth += 1
        guard depth <= maxDepth else { return stop(XMLEvents.Failure.tooDeep(limit: maxDepth)) }
        var declarations: [(prefix: String, uri: String)] = []
        if let namespaces {
            for index in 0..<namespaceCount {
                declarations.append((Self.string(namespaces[2 * index]) ?? "", Self.string(namespaces[2 * index + 1]) ?? ""))
            }
        }
        // Five pointers per attribute: local name, prefix, URI, value start, value end.
        var values: [String: String] = [:]
        if let attributes {
            for index in 0..<attributeCount {
                let base = 5 * index
                guard let name = Self.string(attributes[base]), let start = attributes[base + 3],
                      let end = attributes[base + 4] else { continue }
                let prefix = Self.string(attributes[base + 1]) ?? ""
                values[prefix.isEmpty ? name : prefix + ":" + name] =
                    end > start ? Self.attributeValue(UnsafeBufferPointer(start: start, count: end - start)) : ""
            }
        }
        deliver(.start(XMLElementStart(localName: Self.string(localName) ?? "", namespaceURI: Self.string(uri) ?? "",
                                       attributes: values, namespaceDeclarations: declarations)))
    }

    func endElement() {
        depth -= 1
        deliver(.end)
    }

    func characters(_ bytes: UnsafePointer<xmlChar>?, _ length: Int) {
        guard let bytes, length > 0 else { return }
        deliver(.text(String(decoding: UnsafeBufferPointer(start: bytes, count: length), as: UTF8.self)))
    }

    /// Without XML_PARSE_NOENT libxml2 hands an attribute's "&" (from `&amp;` or `&#38;`) over as
    /// the text "&#38;", leaving it for a tree builder to decode; no other "&" can be in the value.
    private static func attributeValue(_ bytes: UnsafeBufferPointer<xmlChar>) -> String {
        let value = String(decoding: bytes, as: UTF8.self)
        return bytes.contains(UInt8(ascii: "&")) ? value.replacingOccurrences(of: "&#38;", with: "&") : value
    }

    /// libxml2 hands out UTF-8; bytes that are not are repaired, never trusted.
    private static func string(_ pointer: UnsafePointer<xmlChar>?) -> String? {
        pointer.map { String(cString: $0) }
    }
}
