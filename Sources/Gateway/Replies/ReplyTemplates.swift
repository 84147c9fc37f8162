import Foundation
import Intake
import Mustache

/// A rendered reply before it goes to the outbox: subject and plain-text body.
public struct RenderedReply: Sendable, Hashable {
    public var subject: String
    public var body: String
}

/// The staff-editable Chinese templates in `Config/templates/` (one per reply kind).
public struct ReplyTemplates: Sendable {
    let templates: [Action: MustacheTemplate]

    public init(directory: URL) throws {
        var loaded: [Action: MustacheTemplate] = [:]
        for action in [Action.acknowledge, .correct, .alreadySubmitted] {
            let file = directory.appendingPathComponent("\(action.rawValue).mustache")
            do {
                loaded[action] = try MustacheTemplate(string: String(contentsOf: file, encoding: .utf8))
            } catch {
                throw ConfigurationError("回复模板有误 (reply template) \(file.path): \(error)")
            }
        }
        templates = loaded
    }

    /// No templates: replies are planned (kind, recipient, threading) but have no words. Only
    /// `tuibao check` without a configuration uses this.
    public static let unworded = ReplyTemplates(templates: [:])

    init(templates: [Action: MustacheTemplate]) {
        self.templates = templates
    }

    public func render(_ action: Action, context: ReplyContext) throws -> RenderedReply {
        if templates.isEmpty { return RenderedReply(subject: "", body: "") }
        guard let template = templates[action] else { throw ConfigurationError("no template for \(action.rawValue)") }
        return try Self.split(template.render(context.dictionary), templateName: action.rawValue)
    }

    /// A rendered template: "Subject: …", a blank line, the body.
    static func split(_ text: String, templateName: String) throws -> RenderedReply {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).drop { $0.trimmingCharacters(in: .whitespaces).isEmpty }
        guard let first = lines.first, first.hasPrefix("Subject:") else {
            throw ConfigurationError("回复模板 \(templateName) 的第一行必须是 Subject: (the first line must be Subject:)")
        }
        let subject = HeaderText.singleLine(String(first.dropFirst("Subject:".count)))
        lines = lines.dropFirst().drop { $0.trimmingCharacters(in: .whitespaces).isEmpty }
        let body = Self.tidy(lines.joined(separator: "\n"))
        return RenderedReply(subject: subject, body: body)
    }

    /// At most one blank line in a row, no trailing spaces, one final newline.
    static func tidy(_ text: String) -> String {
        var output: [String] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            var trimmed = Substring(line)
            while let last = trimmed.last, last.isWhitespace { trimmed.removeLast() }
            if trimmed.isEmpty && (output.last?.isEmpty ?? true) { continue }
            output.append(String(trimmed))
        }
        while output.last?.isEmpty == true { output.removeLast() }
        return output.joined(separator: "\n") + "\n"
    }
}

/// What a reply template can use. Every string from a mail has already been decoded; subject
/// text is made single-line before it reaches a template (it ends up in a header).
public struct ReplyContext: Sendable {
    public var trackingNumber: String
    public var campaignName: String
    public var officeName: String
    public var officeContact: String
    public var senderName: String?
    public var unitName: String
    public var originalSubject: String
    public var receivedAt: String
    public var versionNumber: Int
    public var files: [(name: String, size: String)]
    public var problems: [Problem]
    public var earlier: [String]
    /// Errors written by staff (a decision "needs correction" with a note), listed after the rest.
    public var staffErrors: [String] = []
    /// With several nominations in one message: one section each (top-level problems stay empty).
    public var nominations: [NominationSection] = []

    public struct NominationSection: Sendable {
        public var trackingNumber: String
        public var nominee: String?
        public var category: String?
        public var files: [(name: String, size: String)]
        public var problems: [Problem]
    }

    var dictionary: [String: Any] {
        let errors = problems.filter { $0.severity == .error }.map(\.message) + staffErrors
        let warnings = problems.filter { $0.severity == .warning }
        let infos = problems.filter { $0.severity == .info }
        return [
            "tracking_number": trackingNumber, "campaign_name": campaignName,
            "office_name": officeName, "office_contact": officeContact,
            "sender_name": senderName ?? "", "unit_name": unitName,
            "original_subject": HeaderText.singleLine(originalSubject), "received_at": receivedAt,
            "version_number": versionNumber, "is_new_version": versionNumber > 1,
            "files": files.map { ["name": $0.name, "size": $0.size] }, "has_files": !files.isEmpty,
            "errors": errors.enumerated().map { ["number": $0.offset + 1, "message": $0.element] },
            "warnings": warnings.map { ["message": $0.message] }, "has_warnings": !warnings.isEmpty,
            "infos": infos.map { ["message": $0.message] }, "has_infos": !infos.isEmpty,
            "earlier": earlier.map { ["description": $0] },
            "several": nominations.count > 1, "nomination_count": nominations.count,
            "nominations": nominations.enumerated().map { index, section in
                let errors = section.problems.filter { $0.severity == .error }
                let notes = section.problems.filter { $0.severity != .error }
                return [
                    "index": index + 1, "tracking_number": section.trackingNumber,
                    "nominee": section.nominee ?? "（推报表未写明）", "category": section.category ?? "",
                    "files": section.files.map { ["name": $0.name, "size": $0.size] },
                    "errors": errors.enumerated().map { ["number": $0.offset + 1, "message": $0.element.message] },
                    "has_errors": !errors.isEmpty,
                    "notes": notes.map { ["message": $0.message] }, "has_notes": !notes.isEmpty,
                ] as [String: Any]
            },
        ]
    }
}

/// Text that will end up in a header: no CR, LF or other control characters, single spaces.
public enum HeaderText {
    public static func singleLine(_ text: String) -> String {
        let cleaned = String(String.UnicodeScalarView(text.unicodeScalars.map {
            $0.properties.generalCategory == .control || $0 == "\u{2028}" || $0 == "\u{2029}" ? " " : $0
        }))
        return cleaned.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
    }
}
