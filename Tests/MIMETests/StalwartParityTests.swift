import Foundation
import TestSupport
import Testing
@testable import MIME

/// Parity with the stalwart mail-parser corpus: for all 107 messages, the attachment set
/// (count, decoded filenames, decoded sizes) equals the one in stalwart's expected parse.
///
/// How their view maps onto ours (not differences, the same facts seen two ways):
/// - the `.eml` files with CRLF line ends are compared with stalwart's `.crlf.json`;
/// - stalwart lists a message/rfc822 part as one attachment; we descend into forwarded mail,
///   so its inner attachments stand in its place;
/// - stalwart lists an inline text part with no filename that is not the message's first body
///   (text/enriched after text/plain, say) as an attachment; for us it is body text;
/// - stalwart gives text attachments as text converted to UTF-8; we store the decoded bytes,
///   so for those the comparison converts our bytes with the part's charset first.
/// The deliberate differences are listed in `deliberate` below, each with our exact result.
@Suite("stalwart mail-parser corpus: attachment parity")
struct StalwartParityTests {
    static let root = TestPaths.shared.appendingPathComponent("corpora/stalwart-mail-parser/resources/eml")
    static let messages: [String] = ["rfc", "legacy", "malformed", "thirdparty"].flatMap { folder in
        TestPaths.files(in: root.appendingPathComponent(folder), suffixes: [".eml"]).map { "\(folder)/\($0.lastPathComponent)" }
    }

    struct Expected: Hashable, CustomStringConvertible {
        var filename: String?
        var size: Int
        var description: String { "\(filename ?? "nil"):\(size)" }
    }

    /// Where we decide differently from stalwart, on purpose, with what we produce instead.
    static let deliberate: [String: (reason: String, ours: [Expected])] = [
        "legacy/016.eml": ("raw 8-bit Latin-1 filename: stalwart shows U+FFFD, we read undeclared 8-bit text as GB18030 (Chinese mail)",
                           [Expected(filename: "HasenundFr鰏che.txt", size: 1131), Expected(filename: "blueball.png", size: 1929)]),
        "legacy/023.eml": ("raw 8-bit Latin-1 filename, as legacy/016",
                           [Expected(filename: "HasenundFr鰏che.txt", size: 747), Expected(filename: "blueball.png", size: 1325),
                            Expected(filename: "farmerandstork.txt", size: 804)]),
        "legacy/026.eml": ("raw 8-bit Latin-1 filename, as legacy/016; the text part has no charset, so its size is compared as bytes",
                           [Expected(filename: "HasenundFr鰏che.txt", size: 747), Expected(filename: "farmerandstork.txt", size: 804)]),
        "legacy/035.eml": ("backslashes in a quoted filename are kept (Windows paths; a GBK trail byte may be 0x5C); stalwart drops them",
                           [Expected(filename: #"C:\TEMP\nsmail39.png"#, size: 1453), Expected(filename: #"C:\TEMP\nsmailEG.png"#, size: 1325),
                            Expected(filename: "greenball.png", size: 1298), Expected(filename: "redball.png", size: 1453)]),
        "legacy/039.eml": ("backslashes kept, as legacy/035",
                           [Expected(filename: #"C:\TEMP\nsmailNM.png"#, size: 1453), Expected(filename: #"C:\TEMP\nsmailV0.png"#, size: 1325),
                            Expected(filename: "blueball.png", size: 1325), Expected(filename: "greenball.png", size: 1298)]),
        "legacy/017.eml": ("x-uuencode is decoded (the sizes equal the same PNGs sent base64 elsewhere); stalwart keeps the encoded text",
                           [Expected(filename: "blueball.png", size: 1325), Expected(filename: "greenball.png", size: 1298)]),
        "legacy/048.eml": ("x-uuencode decoded, as legacy/017",
                           [Expected(filename: "blueball.png", size: 1325), Expected(filename: "greenball.png", size: 1298),
                            Expected(filename: "redball.png", size: 1453)]),
        "rfc/000.eml": ("placeholder text under Content-Transfer-Encoding: base64 is decoded tolerantly; stalwart keeps it as text",
                        [Expected(filename: nil, size: 21), Expected(filename: nil, size: 45)]),
        "rfc/008.eml": ("a base64-encoded message/rfc822 (forbidden by RFC 2046) is kept whole as a file; stalwart decodes and descends",
                        [Expected(filename: "attached_email.eml", size: 872)]),
        "malformed/002.eml": ("a multipart with no parts yields no attachment (the raw message is kept); stalwart makes its body one", []),
        "malformed/017.eml": ("Content-Type without the ';' before boundary: GMime sees no boundary and the whole body is text; stalwart recovers it", []),
        "malformed/022.eml": ("an unparseable message/rfc822 attachment is descended into like any forwarded mail; stalwart keeps it as text", []),
    ]

    @Test("the corpus is all there")
    func corpus() { #expect(Self.messages.count == 107) }

    @Test("attachment set equals stalwart's", arguments: messages)
    func parity(_ name: String) throws {
        let file = Self.root.appendingPathComponent(name)
        let raw = try Data(contentsOf: file)
        let usesCRLF = raw.range(of: Data("\r\n".utf8)) != nil
        let jsonURL = file.deletingPathExtension().appendingPathExtension(usesCRLF ? "crlf.json" : "json")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: jsonURL)) as? [String: Any])

        let directory = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let parsed = try MessageParser().parse(fileAt: file.path, attachmentDirectory: directory.path)

        if let deliberate = Self.deliberate[name] {
            let ours = parsed.attachments.map { Expected(filename: $0.filename, size: Int($0.size)) }
            #expect(ours.sorted { $0.description < $1.description } == deliberate.ours.sorted { $0.description < $1.description },
                    "\(name): \(deliberate.reason)")
            return
        }
        var expected: [(Expected, isText: Bool)] = []
        Self.collect(json, into: &expected)
        let ours = try parsed.attachments.map { attachment -> (Expected, Expected) in
            let bytes = try Data(contentsOf: URL(fileURLWithPath: attachment.storedPath!))
            let asText = Charset.decode(Array(bytes), label: attachment.charset).utf8.count
            return (Expected(filename: attachment.filename, size: bytes.count), Expected(filename: attachment.filename, size: asText))
        }
        #expect(ours.count == expected.count, "\(name): \(ours.map(\.0)) vs \(expected.map(\.0))")
        // Match each of stalwart's attachments to one of ours (order may differ across forwarded mail).
        var remaining = ours
        for (want, isText) in expected {
            if let index = remaining.firstIndex(where: { (isText ? $0.1 : $0.0) == want }) {
                remaining.remove(at: index)
            } else {
                Issue.record("\(name): stalwart's \(want) not among ours \(ours.map(\.0))")
            }
        }
    }

    static func collect(_ message: [String: Any], into expected: inout [(Expected, isText: Bool)]) {
        let parts = message["parts"] as? [[String: Any]] ?? []
        for index in message["attachments"] as? [Int] ?? [] {
            let part = parts[index]
            guard let body = part["body"] as? [String: Any], let (kind, value) = body.first else { continue }
            if kind == "Message", let inner = value as? [String: Any] {
                collect(inner, into: &expected)
                continue
            }
            let headers = part["headers"] as? [[String: Any]] ?? []
            let filename = attribute(headers, "content_disposition", "filename") ?? attribute(headers, "content_type", "name")
            let type = contentType(headers) ?? "text/plain"
            let disposition = dispositionType(headers)
            let isText = kind == "Text" || kind == "Html"
            if isText && filename == nil && disposition != "attachment" && type.hasPrefix("text/") { continue }
            let size = isText ? (value as? String ?? "").utf8.count : (value as? [Any] ?? []).count
            expected.append((Expected(filename: filename, size: size), isText))
        }
    }

    static func header(_ headers: [[String: Any]], _ name: String) -> [String: Any]? {
        (headers.first { $0["name"] as? String == name }?["value"] as? [String: Any])?["ContentType"] as? [String: Any]
    }

    static func attribute(_ headers: [[String: Any]], _ name: String, _ key: String) -> String? {
        (header(headers, name)?["attributes"] as? [[String: Any]])?.first { $0["name"] as? String == key }?["value"] as? String
    }

    static func contentType(_ headers: [[String: Any]]) -> String? {
        guard let value = header(headers, "content_type"), let type = value["c_type"] as? String else { return nil }
        return "\(type)/\(value["c_subtype"] as? String ?? "")".lowercased()
    }

    static func dispositionType(_ headers: [[String: Any]]) -> String? {
        (header(headers, "content_disposition")?["c_type"] as? String)?.lowercased()
    }
}
