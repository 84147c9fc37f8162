import Foundation
import Intake
import MIME
import MaterialChecks
import Materials
import Store

/// A file's facts are known by its content and the name it came under (a form and an essay
/// can share neither, but the same bytes under two names are read as each).
public struct MaterialKey: Hashable, Sendable {
    public var sha256: String
    public var name: String
}

/// What was learnt about one message's files before any decision: every attachment read once,
/// and the download links in its text. Reading documents, probing videos and unpacking
/// archives takes time, so it happens before (never inside) the write transaction.
public struct MessageExamination: Sendable {
    public var facts: [MaterialKey: MaterialFacts]
    public var links: [PendingLink]
}

/// Reads files with the right readers. In intake every file is read from the file store,
/// archive members join the store once read, and facts are cached there; a preview (`check`)
/// reads the parse's scratch copies and keeps nothing.
struct MaterialReading {
    enum Mode {
        case intake(TuibaoStore)
        case preview
    }

    let rules: CampaignRules
    /// Where containers are unpacked (inside the data directory, never the system /tmp).
    let scratch: URL
    let mode: Mode
    /// Readers run in a child process with limits (nil: in this process, as tests of the
    /// readers and the benchmarks do).
    var isolation: IsolatedExaminer? = nil
    /// When the message's examination budget ends (isolated reading only).
    var deadline: Date? = nil

    var examiner: MaterialExaminer { MaterialExaminer(rules: rules, scratch: scratch) }

    func examine(_ parsed: ParsedMessage, now: Date) throws -> MessageExamination {
        var facts: [MaterialKey: MaterialFacts] = [:]
        for attachment in parsed.attachments {
            let key = MaterialKey(sha256: attachment.sha256, name: attachment.filename ?? "（无文件名）")
            if facts[key] != nil { continue }
            if case .intake(let store) = mode,
               let cached = try store.read({ try $0.cachedFacts(sha256: key.sha256, name: key.name) }).flatMap(MaterialFacts.init(json:)) {
                facts[key] = cached
                continue
            }
            let found: MaterialFacts
            if attachment.isBodyDecoration(rules: rules) {
                found = attachment.decorationFacts()
            } else if let file = location(of: attachment) {
                found = examine(fileAt: file, name: key.name, sha256: key.sha256, size: attachment.size)
            } else {
                continue
            }
            facts[key] = found
            // A file that could not be checked is read again next time (the cause may pass).
            if case .intake(let store) = mode, found.kind != .unchecked {
                try store.write { try $0.cacheFacts(sha256: key.sha256, name: key.name, kind: found.kind.rawValue, json: found.json, now: now) }
            }
        }
        return MessageExamination(facts: facts, links: examiner.links(in: parsed.bodyText))
    }

    /// Reads one file; in intake, files found inside it (an archive's members) join the store.
    func examine(fileAt file: URL, name: String, sha256: String, size: Int64) -> MaterialFacts {
        let keep: (URL, String) throws -> Void = { member, sha256 in
            if case .intake(let store) = mode { try store.files.keep(linkOrCopyOf: member, sha256: sha256) }
        }
        guard let isolation else { return examiner.examine(fileAt: file, name: name, sha256: sha256, size: Int(size), keep: keep) }
        var unchecked = MaterialFacts(name: name, sha256: sha256, size: Int(size), kind: .unchecked)
        let remaining = deadline.map { $0.timeIntervalSinceNow } ?? isolation.limits.messageSeconds
        guard remaining > 0 else {
            unchecked.uncheckedReason = "本封邮件的检查时间（\(IsolatedExaminer.seconds(isolation.limits.messageSeconds)) 秒）已用完"
            return unchecked
        }
        do {
            return try isolation.examine(fileAt: file, name: name, sha256: sha256, size: Int(size), rules: rules, work: scratch,
                                         seconds: min(isolation.limits.fileSeconds, remaining), keep: keep)
        } catch {
            unchecked.uncheckedReason = (error as? ExaminerDied)?.description ?? "检查进程无法启动"
            return unchecked
        }
    }

    /// The facts of a stored file no examination of this message covered (carried over from a
    /// version filed before facts were cached): read now, once.
    func examineStored(_ file: PlannedFile, store: TuibaoStore) -> MaterialFacts {
        examine(fileAt: store.files.path(forSHA256: file.sha256), name: file.displayName, sha256: file.sha256, size: file.size)
    }

    private func location(of attachment: Attachment) -> URL? {
        switch mode {
        case .intake(let store): store.files.path(forSHA256: attachment.sha256)
        case .preview: attachment.storedPath.map { URL(fileURLWithPath: $0) }
        }
    }
}

extension Attachment {
    /// A picture the HTML body shows by Content-ID (a signature logo, an icon) is part of the
    /// text, not a material — unless it is as large as a real photo, which a unit may paste in.
    func isBodyDecoration(rules: CampaignRules) -> Bool {
        contentId != nil && disposition?.lowercased() != "attachment" && contentType.lowercased().hasPrefix("image/")
            && size < Int64(rules.imageMinBytes)
    }

    /// The facts of a body decoration: listed, never checked.
    func decorationFacts() -> MaterialFacts {
        MaterialFacts(name: filename ?? "（正文图片）", sha256: sha256, size: Int(size), kind: .other, format: "inline")
    }
}

extension Nomination {
    /// True when the file with this content is (or contains) one of this nomination's materials.
    func owns(sha256: String, facts: [MaterialFacts]) -> Bool {
        let mine = Set(([formFile].compactMap { $0 } + essays + images + videos + unsafe + unchecked).map(\.sha256))
        return facts.contains { file in
            file.sha256 == sha256 && (mine.contains(file.sha256) || file.members.flatMap(\.flattened).contains { mine.contains($0.sha256) })
        }
    }
}
