import Foundation
import Intake
import MIME
import Materials
import Store

/// A scoring sheet a reviewer mailed back, taken in by intake instead of a nomination: the token
/// verified, the sender matched to the reviewer it names, every readable score filed as the next
/// version of that reviewer's review (source `sheet`, the same checks as `review score`), the
/// workbook and the mail kept, and a receipt listing what was recorded and every cell that was
/// not. A sheet that fails a check is refused with a reply saying why; nothing of it is filed.
struct ReviewReturns {
    let store: TuibaoStore
    let configuration: GatewayConfiguration
    let desk: ReviewDesk

    init(store: TuibaoStore, configuration: GatewayConfiguration, desk: ReviewDesk) {
        self.store = store
        self.configuration = configuration
        self.desk = desk
    }

    /// What intake asks of every message: nil (no workbook opened, no thread looked up) without
    /// a `[review]` section or before the first scoring sheet was mailed — until then no mail
    /// can be a returned one.
    static func forIntake(store: TuibaoStore, configuration: GatewayConfiguration) throws -> ReviewReturns? {
        guard configuration.review != nil, try store.hasSentReviewSheets() else { return nil }
        return ReviewReturns(store: store, configuration: configuration, desk: try ReviewDesk(store: store, configuration: configuration))
    }

    /// What a mail is to the review.
    enum Recognised {
        /// A workbook with our token sheet (its hash in the file store, the sheets read).
        case sheet(sha256: String, sheets: [WorkbookSheet], token: String)
        /// A direct reply to one of our scoring-sheet mails that carries no scoring sheet.
        case noSheet
        /// Further mail in a review thread (a thank-you to a receipt): kept for staff, not answered.
        case correspondence
    }

    /// A scoring sheet among the attachments (already in the file store), or a reply to a sheet
    /// mail without one; nil for every other mail. Only small .xlsx files are opened, with the
    /// same bounded reader as forms.
    func recognise(_ parsed: ParsedMessage) throws -> Recognised? {
        for attachment in parsed.attachments where Self.mayBeWorkbook(attachment) && attachment.size <= ReviewSheet.maxReturnedBytes {
            let path = store.files.path(forSHA256: attachment.sha256)
            guard let sheets = try? WorkbookReader.sheets(inWorkbookAt: path),
                  let returned = ReviewSheet(criteria: []).read(sheets) else { continue }
            return .sheet(sha256: attachment.sha256, sheets: sheets, token: returned.token)
        }
        if let parent = parsed.headers.inReplyTo, try store.isReviewMail(messageIds: [parent], kinds: [.reviewSheet]) { return .noSheet }
        let thread = parsed.headers.references + [parsed.headers.inReplyTo].compactMap { $0 }
        return try store.isReviewMail(messageIds: thread, kinds: [.reviewSheet, .reviewReceipt]) ? .correspondence : nil
    }

    static func mayBeWorkbook(_ attachment: Attachment) -> Bool {
        (attachment.filename ?? "").lowercased().hasSuffix(".xlsx") || attachment.contentType.lowercased().contains("spreadsheetml")
    }

    // MARK: Filing

    /// A cell the receipt reports as not recorded.
    struct Unread {
        var criterion: String
        var reason: String
    }

    /// One deed's row as filed.
    struct DeedLine {
        var deed: SubmissionRecord
        var values: [(criterion: String, value: Double)]
        var comment: String?
        var replaced: [String: Double]
        var unread: [Unread]
    }

    /// The verdict on a returned sheet before anything is written.
    struct Judgement {
        var round: ReviewRoundRecord?
        var reviewer: Reviewer?
        /// Why nothing is filed (nil: filed).
        var refusal: String?
        var lines: [DeedLine] = []
        /// Rows that are not this reviewer's deeds, or not deeds at all.
        var strayRows: [Unread] = []
    }

    func judge(_ recognised: Recognised, sender: String) throws -> Judgement {
        let senderReviewer = desk.settings.reviewer(sender)
        guard case .sheet(_, let sheets, let tokenText) = recognised else {
            return Judgement(reviewer: senderReviewer,
                             refusal: "邮件中没有找到评分表附件（.xlsx）。请回复我们发给您的邮件并附上填好的评分表。")
        }
        let key = try ReviewKey.load(dataDirectory: configuration.dataDirectory, create: false)
        guard let key, case .valid(let token)? = ReviewToken.read(tokenText, key: key),
              let round = try store.reviewRounds().first(where: { $0.id == token.roundId }) else {
            return Judgement(reviewer: senderReviewer,
                             refusal: "评分表中隐藏的标识无法核验（可能被改动，或不是我们发出的评分表），未记录任何评分。请用我们发给您的评分表填写后回复。")
        }
        guard let reviewer = desk.settings.reviewer(token.reviewer) else {
            return Judgement(round: round, reviewer: senderReviewer, refusal: "这份评分表所属的评审专家已不在本轮评审名单中，未记录任何评分。")
        }
        guard reviewer.address == sender.lowercased() else {
            return Judgement(round: round, reviewer: reviewer,
                             refusal: "这份评分表是发给评审专家「\(reviewer.name)」的，须由其本人的邮箱发回；未记录任何评分。")
        }
        guard !round.isClosed else {
            return Judgement(round: round, reviewer: reviewer, refusal: "评审轮次「\(round.name)」已经结束，评分已冻结，未记录。")
        }
        guard let returned = ReviewSheet(criteria: round.criteria).read(sheets), returned.missingColumns.count < round.criteria.count else {
            return Judgement(round: round, reviewer: reviewer,
                             refusal: "评分表的格式被改动，找不到评分栏（\(round.criteria.map(\.name).joined(separator: "、"))），未记录任何评分。")
        }
        let state = try desk.state(round)
        let current = ReviewDesk.currentReviews(state.entries)
        var judgement = Judgement(round: round, reviewer: reviewer)
        for row in returned.rows {
            guard let deed = try store.submission(identifiedBy: row.trackingNumber),
                  state.assignments.contains(where: { $0.submissionId == deed.id && $0.reviewer == reviewer.address }) else {
                judgement.strayRows.append(Unread(criterion: "第 \(row.number) 行 \(HeaderText.singleLine(row.trackingNumber))",
                                                  reason: "不是分配给您评审的事迹，未记录"))
                continue
            }
            guard !judgement.lines.contains(where: { $0.deed.id == deed.id }) else {
                judgement.strayRows.append(Unread(criterion: "第 \(row.number) 行 \(deed.trackingNumber)", reason: "与前面的行重复，未记录"))
                continue
            }
            let before = current[ReviewDesk.pairKey(deed.id!, reviewer.address)]
            var line = DeedLine(deed: deed, values: [], comment: row.comment, replaced: [:], unread: [])
            for criterion in round.criteria {
                guard let text = row.cells[criterion.name] else {
                    line.unread.append(Unread(criterion: criterion.name, reason: "评分表中没有这一栏"))
                    continue
                }
                switch ReviewSheet.cell(text) {
                case .value(let value):
                    line.values.append((criterion.name, value))
                    if let earlier = before?.values[criterion.name], earlier != value { line.replaced[criterion.name] = earlier }
                case .empty:
                    let kept = before?.values[criterion.name].map { "，此前记录的 \(ReviewDesk.number($0)) 分仍有效" } ?? ""
                    line.unread.append(Unread(criterion: criterion.name, reason: "未填写\(kept)"))
                case .outOfRange(let raw):
                    line.unread.append(Unread(criterion: criterion.name, reason: "“\(HeaderText.singleLine(raw))”超出 1–10 分的范围，未记录"))
                case .unreadable(let raw):
                    line.unread.append(Unread(criterion: criterion.name, reason: "“\(HeaderText.singleLine(String(raw.prefix(40))))”不是分数，未记录"))
                }
            }
            if line.values.isEmpty && line.comment == nil && round.criteria.allSatisfy({ (row.cells[$0.name] ?? "").isEmpty }) {
                line.unread = [Unread(criterion: "评分", reason: "尚未填写")]
            }
            judgement.lines.append(line)
        }
        return judgement
    }

    /// Files a judged sheet and queues its receipt, in the caller's transaction.
    func commit(_ judgement: Judgement, recognised: Recognised, parsed: ParsedMessage, message: MessageRecord, store: StoreWriter,
                templates: ReviewTemplates, now: Date) throws -> IntakeOutcome {
        let sender = (parsed.headers.from.first?.address ?? "").lowercased()
        if case .correspondence = recognised { return try keepForStaff(parsed: parsed, message: message, sender: sender, store: store, now: now) }
        var sha256: String?
        if case .sheet(let hash, _, _) = recognised { sha256 = hash }
        let filed = judgement.refusal == nil
        let recordedCount = judgement.lines.reduce(0) { $0 + $1.values.count }
        let detail = filed
            ? "评分表：\(judgement.lines.count) 件事迹，记录 \(recordedCount) 项评分" + (unreadCount(judgement) > 0 ? "，\(unreadCount(judgement)) 处未能记录" : "")
            : "评分表未记录：\(judgement.refusal!)"
        var returned = ReviewReturnRecord(roundId: judgement.round?.id, reviewer: judgement.reviewer?.address, messageRowId: message.id!,
                                          sender: sender, sha256: sha256, outcome: filed ? .filed : .refused, detail: detail, receivedAt: now)
        try store.insert(&returned)
        if filed, let round = judgement.round, let reviewer = judgement.reviewer {
            for line in judgement.lines where !line.values.isEmpty || line.comment != nil {
                var parts = line.values.map { "\($0.criterion) \(ReviewDesk.number($0.value))" }
                if let comment = line.comment { parts.append("评语：\(comment)") }
                _ = try store.recordReviewScores(roundId: round.id!, submissionId: line.deed.id!, reviewer: reviewer.address,
                                                 values: line.values, comment: line.comment, source: .sheet, returnId: returned.id,
                                                 actor: reviewer.address, now: now,
                                                 summary: "评审专家 \(reviewer.name)：\(parts.joined(separator: "，"))，评分表")
            }
        }
        var outcome = try settle(message, as: filed ? .filed : .ignored, reason: detail, event: .reviewSheetReturned, parsed: parsed,
                                 sender: sender, store: store, now: now)
        guard let recipient = ReplyAddressing.recipient(for: InboundMessage(parsed)) else { return outcome }
        let rendered = try templates.render(templates.receipt, name: "review-receipt", receiptContext(judgement, now: now))
        // The same throttle as replies to units: a forged sheet sent a hundred times is answered
        // five times an hour, and the same receipt to the same address once a day.
        let throttle = configuration.replyThrottle
        let key = contentKey(judgement)
        let held = throttle.verdict(contentKey: key, earlier: try store.reader.earlierAutomaticReplies(to: recipient), now: now)
            .explanation(window: throttle.window, identicalWindow: throttle.identicalWindow)
        var reply = ReplyRecord(id: nil, messageRowId: message.id, submissionId: nil, kind: .reviewReceipt, recipient: recipient,
                                subject: rendered.subject, body: rendered.body,
                                headerMessageId: "tuibao-\(message.sha256.prefix(24))@\(configuration.replyDomain)",
                                inReplyTo: parsed.headers.messageId,
                                referencesList: Array((parsed.headers.references + [parsed.headers.messageId].compactMap { $0 }).suffix(10))
                                    .joined(separator: " "),
                                status: held == nil ? .queued : .suppressed, attempts: 0, lastError: held, createdAt: now, sentAt: nil)
        reply.contentKey = key
        try store.insert(&reply)
        try store.log(EventRecord(at: now, actor: "system", kind: held == nil ? .replyQueued : .replySuppressed, messageRowId: message.id,
                                  detail: "评分表回执 → \(recipient)" + (held.map { " 未发送：\($0)；如确需发送：tuibao resend \(reply.id!)" } ?? "")))
        outcome.replyId = reply.id
        return outcome
    }

    /// A mail in a review thread without a sheet (not a direct reply to the sheet mail): filed
    /// as not processed, with a reason staff see in `tuibao messages`; no automatic answer, so a
    /// thank-you does not start an exchange with the machine.
    private func keepForStaff(parsed: ParsedMessage, message: MessageRecord, sender: String, store: StoreWriter, now: Date) throws -> IntakeOutcome {
        try settle(message, as: .ignored, reason: "评审往来邮件（未附评分表），未自动回复，请工作人员查看", event: .messageIgnored,
                   parsed: parsed, sender: sender, store: store, now: now)
    }

    /// The message row as review mail left it (processed, with what became of it) and its event.
    private func settle(_ message: MessageRecord, as status: MessageStatus, reason: String, event: EventKind, parsed: ParsedMessage,
                        sender: String, store: StoreWriter, now: Date) throws -> IntakeOutcome {
        var row = message
        row.status = status
        row.reason = reason
        row.processedAt = now
        row.messageId = parsed.headers.messageId
        row.subject = parsed.headers.subject
        row.fromAddress = sender
        try store.update(row)
        try store.log(EventRecord(at: now, actor: "system", kind: event, messageRowId: message.id, detail: reason))
        var outcome = IntakeOutcome(messageRowId: message.id!, sha256: message.sha256, status: status, action: nil, reason: reason,
                                    parsed: nil, trackingNumber: nil, submissionId: nil, versionNumber: nil, problems: [],
                                    replyId: nil, alreadyProcessed: false)
        outcome.isReviewMail = true
        return outcome
    }

    /// "The same receipt": the same refusal, or the same values and unread cells — not the
    /// wording of the date, which changes every time.
    private func contentKey(_ judgement: Judgement) -> String {
        var parts = ["reviewReceipt", judgement.round.map { "\($0.id!)" } ?? "", judgement.refusal ?? ""]
        for line in judgement.lines {
            parts.append(line.deed.trackingNumber)
            parts += line.values.map { "\($0.criterion)=\($0.value)" } + [line.comment ?? ""] + line.unread.map { "\($0.criterion)|\($0.reason)" }
        }
        parts += judgement.strayRows.map { "\($0.criterion)|\($0.reason)" }
        return Hex.sha256(Data(parts.joined(separator: "\n").utf8))
    }

    private func unreadCount(_ judgement: Judgement) -> Int {
        judgement.lines.reduce(0) { $0 + $1.unread.count } + judgement.strayRows.count
    }

    private func receiptContext(_ judgement: Judgement, now: Date) -> [String: Any] {
        var deeds: [[String: Any]] = judgement.lines.map { line in
            var deed: [String: Any] = [
                "tracking_number": line.deed.trackingNumber,
                "title": HeaderText.singleLine(line.deed.title ?? ""),
                "recorded": line.values.map { value -> [String: Any] in
                    var entry: [String: Any] = ["criterion": value.criterion, "value": ReviewDesk.number(value.value)]
                    if let earlier = line.replaced[value.criterion] { entry["replaced"] = ReviewDesk.number(earlier) }
                    return entry
                },
                "unread": line.unread.map { ["criterion": $0.criterion, "reason": $0.reason] },
            ]
            if let comment = line.comment { deed["comment"] = HeaderText.singleLine(comment) }
            return deed
        }
        if !judgement.strayRows.isEmpty {
            deeds.append(["tracking_number": "其他", "title": "不在您的评审名单上的行", "recorded": [[String: Any]](),
                          "unread": judgement.strayRows.map { ["criterion": $0.criterion, "reason": $0.reason] }])
        }
        return [
            "filed": judgement.refusal == nil,
            "refusal": judgement.refusal ?? "",
            "round_name": HeaderText.singleLine(judgement.round?.name ?? "年度最佳事迹评审"),
            "reviewer_name": HeaderText.singleLine(judgement.reviewer?.name ?? "老师"),
            "received_at": ReplyBuilder.chineseDate(now, in: configuration.timeZone),
            "deeds": deeds,
            "has_unread": unreadCount(judgement) > 0,
            "office_name": configuration.officeName, "office_contact": configuration.officeContact,
        ]
    }
}
