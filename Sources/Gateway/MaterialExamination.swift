import Foundation
import Materials
import GRDB
import Intake
import MIME
import MaterialChecks
import Store

/// What was learnt about a message's materials before the decision transaction: reading
/// documents, probing videos and unpacking archives takes time and must not hold the write lock.
struct Examination: Sendable {
    var links: [PendingLink]
}

/// A file the new version will hold (an attachment of this message, or one carried over).
struct PlannedFile: Sendable {
    var sha256: String
    var size: Int64
    var filename: String?
    var contentType: String
    var carriedFromVersionId: Int64?

    var displayName: String { filename ?? "（无文件名）" }

    func record(versionId: Int64) -> FileRecord {
        FileRecord(id: nil, versionId: versionId, sha256: sha256, size: size, filename: filename, contentType: contentType,
                   carriedFromVersionId: carriedFromVersionId)
    }
}

/// One nomination as filed: its submission and version, and what the rules found.
struct FiledNomination {
    var submission: SubmissionRecord
    var versionNumber: Int
    var action: Action
    var problems: [Problem]
    var files: [FileRecord]
    var nomination: Nomination
    /// Earlier records this deed duplicates (for the "already submitted" reply).
    var earlier: [String] = []

    /// The files that came with this message (not carried over), for the receipt.
    var newFiles: [(name: String, size: String)] {
        files.filter { $0.carriedFromVersionId == nil }.map { ($0.filename ?? "（无文件名）", SizeText.of($0.size)) }
    }

    var summary: IntakeOutcome.FiledSubmission {
        IntakeOutcome.FiledSubmission(trackingNumber: submission.trackingNumber, submissionId: submission.id!,
                                      versionNumber: versionNumber, action: action, problems: problems,
                                      category: nomination.form?.category?.chineseName, nominee: nomination.form?.nominee,
                                      unit: nomination.form?.unit, title: nomination.form?.deedTitle,
                                      materials: nomination.materialNames)
    }
}

extension Nomination {
    /// True when the file with this content is (or contains) one of this nomination's materials.
    func owns(sha256: String, facts: [MaterialFacts]) -> Bool {
        let mine = Set(([formFile].compactMap { $0 } + essays + images + videos + unsafe).map(\.sha256))
        return facts.contains { file in file.sha256 == sha256 && (mine.contains(file.sha256) || file.members.flatMap(\.flattened).contains { mine.contains($0.sha256) }) }
    }
}

extension IntakePipeline {
    /// Examines every attachment not examined before (facts are cached per content and name),
    /// keeping files found inside archives in the file store, and finds download links.
    func examine(_ parsed: ParsedMessage, now: Date) throws -> Examination {
        let examiner = MaterialExaminer(rules: configuration.rules)
        for attachment in parsed.attachments {
            let name = attachment.filename ?? "（无文件名）"
            let cached = try store.database.read { db in
                try MaterialRecord.fetchOne(db, key: ["sha256": attachment.sha256, "name": name])
            }
            if cached != nil { continue }
            if attachment.isBodyDecoration(rules: configuration.rules) {
                try store.database.write { db in try Self.cache(attachment.decorationFacts(), now: now, db: db) }
                continue
            }
            let facts = examineStored(sha256: attachment.sha256, name: name, size: attachment.size, examiner: examiner)
            try store.database.write { db in try Self.cache(facts, now: now, db: db) }
        }
        return Examination(links: examiner.links(in: parsed.bodyText))
    }

    static func cache(_ facts: MaterialFacts, now: Date, db: Database) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let json = String(decoding: try encoder.encode(facts), as: UTF8.self)
        try MaterialRecord(sha256: facts.sha256, name: facts.name, kind: facts.kind.rawValue, facts: json, examinedAt: now).save(db)
    }

    /// The cached facts of a planned file. A file carried from a version filed before materials
    /// were examined (an older database) is examined now, once.
    func materialFacts(for file: PlannedFile, db: Database) throws -> MaterialFacts {
        if let record = try MaterialRecord.fetchOne(db, key: ["sha256": file.sha256, "name": file.displayName]),
           let facts = try? JSONDecoder().decode(MaterialFacts.self, from: Data(record.facts.utf8)) {
            return facts
        }
        let facts = examineStored(sha256: file.sha256, name: file.displayName, size: file.size,
                                  examiner: MaterialExaminer(rules: configuration.rules))
        try Self.cache(facts, now: Date(), db: db)
        return facts
    }

    /// Examines a file of the store; files found inside it (an archive's members) join the store too.
    func examineStored(sha256: String, name: String, size: Int64, examiner: MaterialExaminer) -> MaterialFacts {
        examiner.examine(fileAt: store.files.path(forSHA256: sha256), name: name, sha256: sha256, size: Int(size)) { member, sha256 in
            _ = try store.files.adopt(member, sha256: sha256)
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
