import Foundation
import Intake
import MIME
import MailTransport
import Store

public struct DispatchReport: Sendable, Hashable, Codable {
    public var sent = 0
    public var deferred = 0
    public var failed = 0
}

/// Sends due replies from the outbox. A 4xx reply or a network error puts the reply back with
/// exponential backoff and jitter, until `max_attempts`; a 5xx marks it failed with the server's
/// text (`tuibao outbox --failed`, `tuibao resend`). The row is updated right after each send:
/// a crash between the server's "250" and that update sends that one reply again — at most one
/// duplicate per crash, never a lost reply.
public struct ReplyDispatcher: Sendable {
    public let store: TuibaoStore
    public let configuration: GatewayConfiguration
    public let settings: GatewayConfiguration.SMTPSettings
    public let server: ServerSettings

    public init(store: TuibaoStore, configuration: GatewayConfiguration, password: String) throws {
        guard let settings = configuration.smtp else {
            throw ConfigurationError("配置中没有 [smtp] 部分 (no [smtp] section in the configuration)")
        }
        self.store = store
        self.configuration = configuration
        self.settings = settings
        server = ServerSettings(host: settings.host, port: settings.port,
                                security: settings.security,
                                username: settings.username, password: password, caFile: settings.caFile,
                                connectTimeout: 20, timeout: 120)
    }

    public func sendDue(now: Date = Date(), client: SMTPClient? = nil) throws -> DispatchReport {
        let client = try client ?? SMTPClient(settings: server, ehloName: settings.ehloName)
        let due = try store.dueReplies(now: now)
        var report = DispatchReport()
        for var reply in due {
            reply.attempts += 1
            do {
                try client.send(from: settings.fromAddress, to: [reply.recipient], message: MailComposer.compose(try outgoing(reply)))
                reply.status = .sent
                reply.sentAt = now
                reply.lastError = nil
                reply.nextAttemptAt = nil
                report.sent += 1
                try record(reply, event: .replySent, detail: "→ \(reply.recipient)", now: now)
            } catch let error as SMTPClient.SendError where error.isTransient && reply.attempts < settings.maxAttempts {
                reply.lastError = error.message
                reply.nextAttemptAt = now.addingTimeInterval(backoff(afterAttempt: reply.attempts))
                report.deferred += 1
                try record(reply, event: .replyDeferred, detail: error.message, now: now)
            } catch {
                reply.status = .failed
                reply.lastError = "\(error)"
                report.failed += 1
                try record(reply, event: .replyFailed, detail: "\(error)", now: now)
            }
        }
        return report
    }

    /// base × 2^(attempt−1), ±20 % jitter so a queue of retries does not hit the server at once,
    /// capped at six hours.
    func backoff(afterAttempt attempt: Int) -> TimeInterval {
        let base = Double(settings.retryBaseSeconds) * pow(2, Double(max(0, attempt - 1)))
        return min(base, 6 * 3600) * Double.random(in: 0.8...1.2)
    }

    func outgoing(_ reply: ReplyRecord) throws -> OutgoingMail {
        try OutgoingReply.mail(for: reply, configuration: configuration, store: store)
    }

    private func record(_ reply: ReplyRecord, event: EventKind, detail: String, now: Date) throws {
        try store.recordAttempt(reply, event: event, detail: detail, now: now)
    }
}

/// A reply row as the mail that goes out: the one place the fixed headers are decided, shared by
/// the dispatcher and `tuibao reply preview`.
public enum OutgoingReply {
    /// With `store`, the files the reply carries are read from its file store (a reviewer's
    /// scoring sheet); a file that has gone missing fails the send rather than go without it.
    public static func mail(for reply: ReplyRecord, configuration: GatewayConfiguration, store: TuibaoStore? = nil) throws -> OutgoingMail {
        var mail = OutgoingMail(from: Mailbox(name: configuration.officeName,
                                   address: configuration.smtp?.fromAddress ?? configuration.ownAddresses[0]),
                     to: Mailbox(name: nil, address: reply.recipient),
                     subject: reply.subject, body: reply.body, messageId: reply.headerMessageId,
                     inReplyTo: reply.inReplyTo, references: reply.referencesList.split(separator: " ").map(String.init),
                     date: reply.createdAt,
                     headers: [HeaderField(name: "Auto-Submitted", value: reply.kind == .reviewSheet ? "auto-generated" : "auto-replied"),
                               HeaderField(name: "X-Loop", value: configuration.ownAddresses[0])])
        if let store, let id = reply.id {
            mail.attachments = try store.attachments(ofReply: id).map { attachment in
                let path = store.files.path(forSHA256: attachment.sha256)
                guard let data = try? Data(contentsOf: path) else {
                    throw StoreError("回复 \(id) 的附件“\(attachment.filename)”在文件库中找不到 (attachment missing from the file store)")
                }
                return OutgoingAttachment(filename: attachment.filename, mediaType: attachment.mediaType, data: data)
            }
        }
        return mail
    }
}
