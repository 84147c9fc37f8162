import ArgumentParser
import Foundation
import Store

/// `tuibao decide ID STATUS --note …`: a staff decision, logged with who made it.
struct DecideCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "decide",
        abstract: "作出决定：采纳、不采纳或要求补正（记录在案）。 Record a staff decision.",
        discussion: """
        STATUS: accepted（采纳）、rejected（不采纳）、needs-correction（要求补正）。
        With needs-correction and --reply, a correction request listing the note is queued for the unit.
        With accepted and --reply, the unit gets its receipt (e.g. when staff overrule a duplicate finding).
        """)

    @OptionGroup var gateway: GatewayOptions

    @Argument(help: "受理编号。")
    var id: String

    @Argument(help: "accepted | rejected | needs-correction")
    var status: String

    @Option(help: "说明（写入处理记录；--reply 时也写入给单位的补正要求）。 The reason.")
    var note: String = ""

    @Flag(help: "要求补正时发补正邮件；采纳时发受理回执（如推翻重复报送的判断）。 Queue a correction request, or with accepted the receipt.")
    var reply = false

    @Option(help: "操作人（默认为当前登录用户）。 Who decides.")
    var by: String?

    func validate() throws {
        guard let parsed = SubmissionStatus(argument: status), [.accepted, .rejected, .needsCorrection].contains(parsed) else {
            throw ValidationError("决定只能是 accepted、rejected 或 needs-correction (got \(status))")
        }
        if reply && parsed == .rejected { throw ValidationError("--reply 只用于 needs-correction 或 accepted") }
        // A decision without its reason cannot be explained later, to the unit or the committee.
        if note.trimmingCharacters(in: .whitespaces).isEmpty {
            throw ValidationError(parsed == .needsCorrection
                ? "请用 --note 写明要补正什么 (say what to fix with --note)" : "请用 --note 写明理由 (a decision needs --note with the reason)")
        }
    }

    func run() throws {
        let pipeline = try gateway.openPipeline()
        let submission = try requireSubmission(id, in: pipeline.store)
        let decided = SubmissionStatus(argument: status)!
        let actor = StaffFormatting.actor(by)
        try pipeline.store.decide(submissionId: submission.id!, status: decided, note: note, actor: actor, now: StaffFormatting.now())
        print("\(submission.trackingNumber): \(submission.status.label) → \(decided.label)（\(actor)）")
        if reply && decided == .accepted {
            let replyId = try pipeline.queueReceipt(submissionId: submission.id!, actor: actor, now: StaffFormatting.now())
            print("受理回执已放入待发队列（回复 \(replyId)）→ \(submission.senderAddress)")
        } else if reply {
            let replyId = try pipeline.queueCorrectionRequest(submissionId: submission.id!, note: note, actor: actor, now: StaffFormatting.now())
            print("补正要求已放入待发队列（回复 \(replyId)）→ \(submission.senderAddress)")
        }
    }
}

/// `tuibao note ID TEXT…`: a note in the submission's record.
struct NoteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "note", abstract: "给一件推报加备注（写入处理记录）。 Add a note to a submission.")

    @OptionGroup var gateway: GatewayOptions

    @Argument(help: "受理编号。")
    var id: String

    @Argument(help: "备注内容。")
    var text: [String]

    @Option(help: "操作人。")
    var by: String?

    func validate() throws {
        if text.joined().trimmingCharacters(in: .whitespaces).isEmpty { throw ValidationError("备注不能为空 (empty note)") }
    }

    func run() throws {
        let (_, store) = try gateway.openStore()
        let submission = try requireSubmission(id, in: store)
        try store.addNote(submissionId: submission.id!, text: text.joined(separator: " "), actor: StaffFormatting.actor(by), now: StaffFormatting.now())
        print("\(submission.trackingNumber): 已记录备注。")
    }
}
