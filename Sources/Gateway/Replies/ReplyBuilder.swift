import Crypto
import Foundation
import Intake
import MIME
import Store

/// The one place a reply is made: to a message intake filed, a correction staff asked for, or
/// the receipt due once staff completed a submission. Everything decoded from a mail that the
/// reply echoes (names, subject) is made single-line here, in the body as in the headers.
struct ReplyBuilder {
    let configuration: GatewayConfiguration
    let templates: ReplyTemplates

    /// The reply to a filed message (nil: no address that may be answered).
    func reply(to inbound: InboundMessage, parsed: ParsedMessage, verdict: Verdict, unitName: String?, rawSHA256: String,
               earlierReplies: (String) throws -> [ReplyThrottle.EarlierReply], now: Date) throws -> PlannedReply? {
        guard let recipient = ReplyAddressing.recipient(for: inbound), let first = verdict.nominations.first else { return nil }
        var context = self.context(trackingNumber: verdict.nominations.map(\.trackingNumber).joined(separator: "、"),
                                   senderName: inbound.fromName, unitName: unitName ?? "（待核实）",
                                   subject: verdict.subject, receivedAt: now, versionNumber: first.versionNumber)
        context.files = first.newFiles
        context.problems = verdict.nominations.count == 1 ? first.problems : []
        context.earlier = verdict.nominations.flatMap(\.earlier)
        if verdict.nominations.count > 1 {
            context.nominations = verdict.nominations.map {
                ReplyContext.NominationSection(trackingNumber: $0.trackingNumber, nominee: $0.nomination.form?.nominee.map(HeaderText.singleLine),
                                               category: $0.nomination.form?.category?.chineseName, files: $0.newFiles,
                                               problems: $0.problems)
            }
        }
        let key = Self.contentKey(action: verdict.action, trackingNumber: context.trackingNumber,
                                  problems: verdict.nominations.flatMap(\.problems), files: verdict.nominations.flatMap(\.newFiles))
        return try answer(parsed, kind: verdict.action, context: context, recipient: recipient, rawSHA256: rawSHA256,
                          contentKey: key, earlierReplies: earlierReplies, now: now)
    }

    /// The answer to a resend or a colleague's copy of a deed on file: "already submitted",
    /// naming the record. Every further copy would get the same words, so the throttle's
    /// identical-reply rule answers the unit once.
    func resendReply(to inbound: InboundMessage, parsed: ParsedMessage, original: SubmissionRecord, rawSHA256: String,
                     earlierReplies: (String) throws -> [ReplyThrottle.EarlierReply], now: Date) throws -> PlannedReply? {
        guard let recipient = ReplyAddressing.recipient(for: inbound) else { return nil }
        var context = self.context(trackingNumber: original.trackingNumber, senderName: inbound.fromName,
                                   unitName: original.unitName ?? "（待核实）", subject: parsed.headers.subject,
                                   receivedAt: now, versionNumber: 1)
        context.earlier = [Self.describe(original, in: configuration.timeZone)]
        let key = Self.contentKey(action: .alreadySubmitted, trackingNumber: original.trackingNumber, problems: [],
                                  files: [(context.earlier[0], "")])
        return try answer(parsed, kind: .alreadySubmitted, context: context, recipient: recipient, rawSHA256: rawSHA256,
                          contentKey: key, earlierReplies: earlierReplies, now: now)
    }

    /// An automatic answer to a mail: threaded to it, with a Message-ID from its bytes, and held
    /// back when the throttle says so.
    private func answer(_ parsed: ParsedMessage, kind: Action, context: ReplyContext, recipient: String, rawSHA256: String,
                        contentKey: String, earlierReplies: (String) throws -> [ReplyThrottle.EarlierReply],
                        now: Date) throws -> PlannedReply {
        let references = Array((parsed.headers.references + [parsed.headers.messageId].compactMap { $0 }).suffix(10))
        var reply = try planned(kind, context: context, recipient: recipient,
                                headerMessageId: "tuibao-\(rawSHA256.prefix(24))@\(configuration.replyDomain)",
                                inReplyTo: parsed.headers.messageId, references: references)
        reply.contentKey = contentKey
        let throttle = configuration.replyThrottle
        reply.heldBecause = throttle.verdict(contentKey: contentKey, earlier: try earlierReplies(recipient), now: now)
            .explanation(window: throttle.window, identicalWindow: throttle.identicalWindow)
        return reply
    }

    /// A submission of this campaign as a reply names it: when, its number, its title.
    static func describe(_ submission: SubmissionRecord, in zone: TimeZone) -> String {
        "本次活动（\(chineseDate(submission.createdAt, in: zone))，受理编号 \(submission.trackingNumber)）《\(submission.title ?? "")》"
    }

    /// A reply staff cause (a correction with their note, or the receipt after they attached
    /// what was missing), threaded to the unit's latest mail. `tag` keeps its Message-ID unique.
    func staffReply(_ kind: Action, submission: SubmissionRecord, message: MessageRecord, versionNumber: Int,
                    files: [(name: String, size: String)], problems: [Problem], staffErrors: [String], tag: String,
                    receivedAt: Date) throws -> PlannedReply {
        var context = self.context(trackingNumber: submission.trackingNumber, senderName: submission.senderName,
                                   unitName: submission.unitName ?? "（待核实）", subject: message.subject,
                                   receivedAt: receivedAt, versionNumber: versionNumber)
        context.files = files
        context.problems = problems
        context.staffErrors = staffErrors
        return try planned(kind, context: context, recipient: submission.senderAddress,
                           headerMessageId: "tuibao-\(submission.trackingNumber.lowercased())-\(tag)@\(configuration.replyDomain)",
                           inReplyTo: message.messageId, references: [message.messageId].compactMap { $0 })
    }

    /// The outbox row for a planned reply.
    static func record(_ reply: PlannedReply, kind: ReplyKind? = nil, messageRowId: Int64?, submissionId: Int64?, now: Date) -> ReplyRecord {
        var record = ReplyRecord(id: nil, messageRowId: messageRowId, submissionId: submissionId, kind: kind ?? ReplyKind(reply.kind),
                                 recipient: reply.recipient, subject: reply.subject, body: reply.body,
                                 headerMessageId: reply.headerMessageId, inReplyTo: reply.inReplyTo,
                                 referencesList: reply.references.joined(separator: " "),
                                 status: reply.heldBecause == nil ? .queued : .suppressed, attempts: 0,
                                 lastError: reply.heldBecause, createdAt: now, sentAt: nil)
        record.contentKey = reply.contentKey
        return record
    }

    private func context(trackingNumber: String, senderName: String?, unitName: String, subject: String?, receivedAt: Date,
                         versionNumber: Int) -> ReplyContext {
        ReplyContext(trackingNumber: trackingNumber, campaignName: configuration.campaign.name,
                     officeName: configuration.officeName, officeContact: configuration.officeContact,
                     senderName: senderName.map(HeaderText.singleLine), unitName: HeaderText.singleLine(unitName),
                     originalSubject: Self.strippedSubject(subject ?? ""), receivedAt: Self.chineseDate(receivedAt, in: configuration.timeZone),
                     versionNumber: versionNumber, files: [], problems: [], earlier: [])
    }

    private func planned(_ kind: Action, context: ReplyContext, recipient: String, headerMessageId: String, inReplyTo: String?,
                         references: [String]) throws -> PlannedReply {
        let rendered = try templates.render(kind, context: context)
        return PlannedReply(kind: kind, recipient: recipient, subject: rendered.subject, body: rendered.body,
                            headerMessageId: headerMessageId, inReplyTo: inReplyTo, references: references,
                            contentKey: "", heldBecause: nil)
    }

    /// The unit's subject without reply prefixes (Re:, 答复:, 转发: …) and without our own
    /// bracketed number and reply label, so a reply to a reply does not grow a chain of them.
    static func strippedSubject(_ subject: String) -> String {
        let replyPrefix = /^\s*(?i:re|fw|fwd|aw|sv|答复|回复|转发)\s*[:：]\s*/
        let ourLabel = /^\s*【[A-Za-z0-9]+-\d+】\s*(?:(?:受理回执|请补正材料|已报送，不必重复报送)\s*[:：]\s*)?/
        var text = Substring(HeaderText.singleLine(subject))
        while true {
            if let match = text.prefixMatch(of: replyPrefix) {
                text = text[match.range.upperBound...]
            } else if let match = text.prefixMatch(of: ourLabel) {
                text = text[match.range.upperBound...]
            } else {
                break
            }
        }
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        return trimmed.isEmpty ? "（无主题）" : trimmed
    }

    /// "The same reply": same kind, submission, problems and new files — not the same wording of
    /// the date, which changes every time.
    static func contentKey(action: Action, trackingNumber: String, problems: [Problem], files: [(name: String, size: String)]) -> String {
        let parts = [action.rawValue, trackingNumber] + problems.map { "\($0.code.rawValue)|\($0.message)" }.sorted()
            + files.map { "\($0.name)|\($0.size)" }.sorted()
        return Hex.sha256(Data(parts.joined(separator: "\n").utf8))
    }

    /// "2018年5月3日 09:12" in the campaign's zone (units read it as their own time).
    static func chineseDate(_ date: Date, in zone: TimeZone) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        return String(format: "%d年%d月%d日 %02d:%02d", c.year!, c.month!, c.day!, c.hour!, c.minute!)
    }
}
