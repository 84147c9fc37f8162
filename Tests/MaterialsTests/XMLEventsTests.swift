import Foundation
import Testing
@testable import Materials

/// The libxml2 reader behind every OOXML part, and the fuzzer's finding that made it necessary:
/// Foundation's XMLParser trapped (SIGILL) on these six bytes.
struct XMLEventsTests {
    static let fuzzedBytes = Data([0x3C, 0x77, 0xA5, 0x3C, 0xE5, 0xAE])

    @Test func fuzzedBytesAsDocumentXMLAreADamagedPartNotACrash() throws {
        let dir = try TestSupport.scratchDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("fuzzed.docx")
        try DocxFixture.writeEssay(to: url, extra: [("word/document.xml", Self.fuzzedBytes)])
        #expect(throws: ContainerError.malformedPart("word/document.xml")) { try DocxReader.read(fileAt: url) }
    }

    @Test func fuzzedBytesAsContentTypesAreADamagedPartNotACrash() throws {
        let dir = try TestSupport.scratchDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("fuzzed.docx")
        try DocxFixture.writeEssay(to: url, extra: [("[Content_Types].xml", Self.fuzzedBytes)])
        #expect(throws: ContainerError.malformedPart("[Content_Types].xml")) { try DocxReader.read(fileAt: url) }
        #expect(throws: ContainerError.malformedPart("[Content_Types].xml")) { try OOXML.kind(ofFileAt: url) }
    }

    @Test func fuzzedBytesAsWorkbookXMLAreAMalformedPartNotACrash() throws {
        let dir = try TestSupport.scratchDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("fuzzed.xlsx")
        try TestSupport.writeZip([("xl/workbook.xml", Self.fuzzedBytes)], to: url)
        let error = #expect(throws: SpreadsheetError.self) { try FormReader.read(xlsxAt: url) }
        guard case .malformedPart(let detail) = error else {
            Issue.record("expected malformedPart, got \(String(describing: error))")
            return
        }
        #expect(detail.hasPrefix("line 1: "))
    }

    @Test func eventsCarryLocalNamesNamespacesAttributesAndDecodedText() throws {
        let xml = """
            <?xml version="1.0" encoding="UTF-8"?>
            <a:root xmlns:a="urn:a" xmlns="urn:default" id="1" a:val="x&amp;y" q="&#38;&amp;#38;&lt;"><b>t&lt;&#x4E2D;<![CDATA[skipped]]></b><a:c/></a:root>
            """
        #expect(try Self.events(Data(xml.utf8)) == [
            "start root {urn:a} [a:val=x&y, id=1, q=&&#38;<] ns[a=urn:a, =urn:default]",
            "start b {urn:default} [] ns[]", "text t<中", "end",
            "start c {urn:a} [] ns[]", "end",
            "end",
        ])
    }

    @Test func utf16DocumentsAreDecoded() throws {
        let xml = "<?xml version=\"1.0\" encoding=\"UTF-16\"?><p>文字</p>"
        var bytes = Data([0xFF, 0xFE])
        bytes.append(xml.data(using: .utf16LittleEndian)!)
        #expect(try Self.events(bytes) == ["start p {} [] ns[]", "text 文字", "end"])
    }

    @Test func documentTypeDeclarationsAreRefusedBeforeAnyEntityIsDeclared() {
        let laughs = "<?xml version=\"1.0\"?><!DOCTYPE a [<!ENTITY e \"x\"><!ENTITY f \"&e;&e;\">]><a>&f;</a>"
        #expect(throws: XMLEvents.Failure.documentTypeDeclaration) { try Self.events(Data(laughs.utf8)) }
        let external = "<!DOCTYPE a SYSTEM \"http://example.invalid/a.dtd\"><a/>"
        #expect(throws: XMLEvents.Failure.documentTypeDeclaration) { try Self.events(Data(external.utf8)) }
    }

    @Test func undeclaredEntitiesAreMalformed() {
        let error = #expect(throws: XMLEvents.Failure.self) { try Self.events(Data("<a>&e;</a>".utf8)) }
        #expect(error == .malformed("line 1: Entity 'e' not defined"))
    }

    @Test func depthAndSizeAreCapped() {
        let deep = Data((String(repeating: "<a>", count: 4) + String(repeating: "</a>", count: 4)).utf8)
        let limits = XMLEvents.Limits(maxBytes: 100, maxDepth: 3)
        #expect(throws: XMLEvents.Failure.tooDeep(limit: 3)) { try XMLEvents.read(deep, limits: limits) { _ in } }
        #expect(throws: XMLEvents.Failure.tooLarge(limit: 10)) {
            try XMLEvents.read(deep, limits: XMLEvents.Limits(maxBytes: 10, maxDepth: 3)) { _ in }
        }
        // The standard depth cap, 256, is met before libxml2's own.
        let tooDeep = Data((String(repeating: "<a>", count: 257) + String(repeating: "</a>", count: 257)).utf8)
        #expect(throws: XMLEvents.Failure.tooDeep(limit: 256)) { try XMLEvents.read(tooDeep) { _ in } }
        let deepEnough = Data((String(repeating: "<a>", count: 256) + String(repeating: "</a>", count: 256)).utf8)
        #expect(throws: Never.self) { try XMLEvents.read(deepEnough) { _ in } }
        #expect(throws: XMLEvents.Failure.malformed("empty document")) { try XMLEvents.read(Data()) { _ in } }
    }

    @Test func anErrorFromTheHandlerStopsTheParse() {
        struct Enough: Error, Equatable {}
        var starts = 0
        #expect(throws: Enough()) {
            try XMLEvents.read(Data("<a><b/><c/></a>".utf8)) { event in
                if case .start = event { starts += 1 }
                if starts == 2 { throw Enough() }
            }
        }
        #expect(starts == 2)
    }

    /// Every cut of a real part but the whole is refused, and none traps.
    @Test func everyTruncationOfADocumentIsMalformed() throws {
        let whole = Data(DocxFixture.document(body: DocxFixture.essayBody).utf8)
        var readable: [Int] = []
        for length in 1...whole.count {
            do {
                try XMLEvents.read(whole.prefix(length)) { _ in }
                readable.append(length)
            } catch is XMLEvents.Failure {
            }
        }
        #expect(readable == [whole.count])
    }

    private static func events(_ data: Data) throws -> [String] {
        var events: [String] = []
        try XMLEvents.read(data) { event in
            switch event {
            case .start(let element):
                let attributes = element.attributes.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
                let namespaces = element.namespaceDeclarations.map { "\($0.prefix)=\($0.uri)" }
                events.append("start \(element.localName) {\(element.namespaceURI)} [\(attributes.joined(separator: ", "))]"
                              + " ns[\(namespaces.joined(separator: ", "))]")
            case .end: events.append("end")
            case .text(let text):
                // Text may come in pieces; what counts is the run.
                if let last = events.last, last.hasPrefix("text ") { events[events.count - 1] = last + text } else { events.append("text \(text)") }
            }
        }
        return events
    }
}
