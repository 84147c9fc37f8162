import Foundation
import Intake
import Mustache
import Store
import ZIPFoundation

/// The Chinese templates of review mail in `Config/templates/`: the scoring sheet's cover letter
/// and the receipt for a returned sheet.
struct ReviewTemplates {
    let sheet: MustacheTemplate
    let receipt: MustacheTemplate

    init(directory: URL) throws {
        func load(_ name: String) throws -> MustacheTemplate {
            let file = directory.appendingPathComponent("\(name).mustache")
            do {
                return try MustacheTemplate(string: String(contentsOf: file, encoding: .utf8))
            } catch {
                throw ConfigurationError("评审邮件模板有误 (review mail template) \(file.path): \(error)")
            }
        }
        sheet = try load("review-sheet")
        receipt = try load("review-receipt")
    }

    func render(_ template: MustacheTemplate, name: String, _ context: [String: Any]) throws -> RenderedReply {
        try ReplyTemplates.split(template.render(context), templateName: name)
    }
}

/// `tuibao review send`: one mail per reviewer through the outbox, carrying their scoring sheet
/// (with the signed token) and their deeds' materials as a ZIP archive — essay, form and
/// pictures always, videos while the mail stays under `max_mail_mb`.
public struct ReviewMailer {
    public let desk: ReviewDesk
    public let configuration: GatewayConfiguration

    public init(desk: ReviewDesk, configuration: GatewayConfiguration) {
        self.desk = desk
        self.configuration = configuration
    }

    public struct Sent: Sendable {
        public var reviewer: Reviewer
        public var deeds: [String]
        public var replyId: Int64
        public var attachmentBytes: Int64
        /// Videos left out of the materials (too large for the mail).
        public var leftOut: [String]
    }

    public struct Outcome: Sendable {
        public var sent: [Sent]
        /// Reviewers whose latest sheet already lists exactly their deeds.
        public var unchanged: [Reviewer]
        /// Reviewers with nothing assigned.
        public var idle: [Reviewer]
    }

    /// - Parameters:
    ///   - only: reviewers by name or address (all when empty).
    ///   - again: send even when the latest sheet lists the same deeds.
    public func send(only: [String], again: Bool, actor: String, now: Date) throws -> Outcome {
        let round = try desk.openRound()
        let state = try desk.state(round)
        let deeds = Dictionary(uniqueKeysWithValues: try desk.deeds(state).map { ($0.id, $0) })
        var reviewers = desk.settings.reviewers
        if !only.isEmpty {
            let chosen = Set(try only.map(desk.requireReviewer))
            reviewers = reviewers.filter(chosen.contains)
        }
        guard !state.assignments.isEmpty else {
            throw ReviewError("还没有分配评审任务，请先 tuibao review assign (nothing assigned yet)")
        }
        let key = try ReviewKey.load(dataDirectory: configuration.dataDirectory, create: true)!
        let templates = try ReviewTemplates(directory: configuration.templatesDirectory)
        let earlier = try desk.store.reviewSheets(roundId: round.id!)
        var outcome = Outcome(sent: [], unchanged: [], idle: [])
        var composed: [(mail: Composed, sent: Sent)] = []
        for reviewer in reviewers {
            let assigned = state.assignments.filter { $0.reviewer == reviewer.address }.compactMap { deeds[$0.submissionId] }
                .sorted { $0.trackingNumber < $1.trackingNumber }
            guard !assigned.isEmpty else { outcome.idle.append(reviewer); continue }
            let numbers = assigned.map(\.trackingNumber)
            let before = earlier.filter { $0.reviewer == reviewer.address }
            if !again, before.last?.trackingNumbers == numbers {
                outcome.unchanged.append(reviewer)
                continue
            }
            let mail = try compose(reviewer: reviewer, deeds: assigned, round: round,
                                   token: ReviewToken(roundId: round.id!, reviewer: reviewer.address).text(key: key),
                                   templates: templates, sequence: before.count + 1, actor: actor, now: now)
            composed.append((mail, Sent(reviewer: reviewer, deeds: numbers, replyId: 0,
                                        attachmentBytes: mail.attachments.reduce(0) { $0 + $1.size }, leftOut: mail.leftOut)))
        }
        let sheets = try desk.store.queueReviewSheets(composed.map { ($0.mail.reply, $0.mail.attachments, $0.mail.sheet) },
                                                      actor: actor, now: now)
        outcome.sent = zip(sheets, composed).map { sheet, item in
            var sent = item.sent
            sent.replyId = sheet.replyId
            return sent
        }
        return outcome
    }

    // MARK: One reviewer's mail

    private struct Composed {
        var reply: ReplyRecord
        var attachments: [ReplyAttachmentRecord]
        var sheet: ReviewSheetRecord
        var leftOut: [String]
    }

    private func compose(reviewer: Reviewer, deeds: [ReviewDeed], round: ReviewRoundRecord, token: String,
                         templates: ReviewTemplates, sequence: Int, actor: String, now: Date) throws -> Composed {
        let files = desk.store.files
        let package = try materials(deeds)
        let sheetName = Self.fileName("评分表-\(round.name)-\(reviewer.name)") + ".xlsx"
        let materialsName = Self.fileName("评审材料-\(reviewer.name)") + ".zip"
        let lines = deeds.map { ReviewSheet.Line(deed: $0, materials: package.folders[$0.id] ?? "") }
        let workbook = try ReviewSheet(criteria: round.criteria)
            .workbook(lines, token: token, roundName: round.name, reviewer: reviewer, timeZone: configuration.timeZone)
        let sheet = try files.store(workbook)
        let archive = try files.store(package.data)

        let context: [String: Any] = [
            "round_name": HeaderText.singleLine(round.name), "reviewer_name": HeaderText.singleLine(reviewer.name),
            "deed_count": deeds.count, "sheet_name": sheetName, "materials_name": materialsName,
            "has_videos": package.hasVideos, "has_left_out": !package.leftOut.isEmpty,
            "left_out": package.leftOut.map { ["tracking_number": $0.trackingNumber, "name": $0.name, "size": $0.size] },
            "criteria": round.criteria.map { ["name": $0.name, "weight": ReviewDesk.number($0.weight)] },
            "office_name": configuration.officeName, "office_contact": configuration.officeContact,
        ]
        let rendered = try templates.render(templates.sheet, name: "review-sheet", context)
        let digest = Hex.sha256(Data("\(round.id!)/\(reviewer.address)".utf8)).prefix(12)
        let reply = ReplyRecord(id: nil, messageRowId: nil, submissionId: nil, kind: .reviewSheet, recipient: reviewer.address,
                                subject: rendered.subject, body: rendered.body,
                                headerMessageId: "tuibao-review-\(round.id!)-\(digest)-\(sequence)@\(configuration.replyDomain)",
                                inReplyTo: nil, referencesList: "", status: .queued, attempts: 0, lastError: nil, createdAt: now, sentAt: nil)
        return Composed(reply: reply, attachments: [
            ReplyAttachmentRecord(filename: sheetName, mediaType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                                  sha256: sheet.sha256, size: sheet.size),
            ReplyAttachmentRecord(filename: materialsName, mediaType: "application/zip", sha256: archive.sha256, size: archive.size),
        ], sheet: ReviewSheetRecord(roundId: round.id!, reviewer: reviewer.address, deeds: deeds.map(\.trackingNumber), sha256: sheet.sha256,
                                    createdAt: now, createdBy: actor),
           leftOut: package.leftOut.map { "\($0.trackingNumber) \($0.name)" })
    }

    // MARK: The materials archive

    private struct Package {
        var data: Data
        /// Deed id → "YS2018-0001 title/": the folder its files are in, and what they are.
        var folders: [Int64: String]
        var hasVideos: Bool
        var leftOut: [(trackingNumber: String, name: String, size: String)]
    }

    /// Each deed's current form, essay and pictures in a folder of its own, and its video while
    /// the mail stays under the limit (smallest first, so as many as fit go).
    private func materials(_ deeds: [ReviewDeed]) throws -> Package {
        let store = desk.store
        let archive = try Archive(data: Data(), accessMode: .create)
        var folders: [Int64: String] = [:]
        var videos: [(deed: ReviewDeed, folder: String, file: FileRecord, name: String)] = []
        var total: Int64 = 64 << 10  // the sheet, the letter, MIME overhead
        var hasVideos = false
        for deed in deeds {
            let folder = Self.fileName("\(deed.trackingNumber) \(deed.title ?? "")")
            var listed: [String] = []
            var used = Set<String>()
            for (index, file) in try store.currentFiles(of: deed.id).enumerated() {
                guard let role = file.role, [.form, .essay, .picture, .video].contains(role) else { continue }
                var name = Self.fileName(file.filename ?? "\(role.label)-\(index + 1)")
                if !used.insert(name).inserted { name = "\(index + 1)-\(name)" }
                if role == .video {
                    videos.append((deed, folder, file, name))
                    continue
                }
                try add(file, as: "\(folder)/\(name)", to: archive)
                total += file.size * 4 / 3
                listed.append("\(role.label)：\(name)")
            }
            folders[deed.id] = "文件夹“\(folder)”" + (listed.isEmpty ? "" : "\n" + listed.joined(separator: "\n"))
        }
        var leftOut: [(String, String, String)] = []
        for video in videos.sorted(by: { $0.file.size < $1.file.size }) {
            if total + video.file.size * 4 / 3 <= desk.settings.maxMailBytes {
                try add(video.file, as: "\(video.folder)/\(video.name)", to: archive)
                total += video.file.size * 4 / 3
                hasVideos = true
                folders[video.deed.id, default: ""] += "\n视频：\(video.name)"
            } else {
                leftOut.append((video.deed.trackingNumber, video.name, Self.size(video.file.size)))
                folders[video.deed.id, default: ""] += "\n视频未随附（\(Self.size(video.file.size))）：\(video.name)"
            }
        }
        guard let data = archive.data else { throw ReviewError("无法生成评审材料压缩包 (could not assemble the materials archive)") }
        return Package(data: data, folders: folders, hasVideos: hasVideos, leftOut: leftOut)
    }

    private func add(_ file: FileRecord, as path: String, to archive: Archive) throws {
        let url = desk.store.files.path(forSHA256: file.sha256)
        let handle = try FileHandle(forReadingFrom: url)
        defer { try? handle.close() }
        // Pictures and videos are compressed already; deflating them again only costs time.
        let method: CompressionMethod = file.role == .essay || file.role == .form ? .deflate : .none
        try archive.addEntry(with: path, type: .file, uncompressedSize: file.size, compressionMethod: method) { position, size in
            try handle.seek(toOffset: UInt64(position))
            return try handle.read(upToCount: size) ?? Data()
        }
    }

    /// A name from a mail as a file name inside an archive or an attachment: no path separators,
    /// no control characters, no leading dots, at most 60 characters.
    static func fileName(_ text: String) -> String {
        let cleaned = String(text.unicodeScalars.map { scalar -> Character in
            scalar.properties.generalCategory == .control || "/\\:*?\"<>|".unicodeScalars.contains(scalar) ? "_" : Character(scalar)
        })
        var name = HeaderText.singleLine(cleaned).trimmingCharacters(in: .whitespaces)
        while name.hasPrefix(".") { name.removeFirst() }
        if name.count > 60 {
            let dot = name.lastIndex(of: ".").map { name.distance(from: $0, to: name.endIndex) } ?? 0
            let suffix = dot > 0 && dot <= 6 ? String(name.suffix(dot)) : ""
            name = String(name.prefix(60 - suffix.count)) + suffix
        }
        return name.isEmpty ? "材料" : name
    }

    static func size(_ bytes: Int64) -> String {
        bytes >= 1 << 20 ? String(format: "%.1f MB", Double(bytes) / 1_048_576) : "\(max(1, bytes >> 10)) KB"
    }
}
