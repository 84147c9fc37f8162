import Foundation
import Intake
import MailTransport
import Store

/// What one poll did.
public struct PollReport: Sendable, Hashable, Codable {
    public var uidValidity: UInt64?
    public var found = 0
    public var filed = 0
    public var ignored = 0
    public var repeated = 0
    public var failed = 0
    public var movedToFailed = 0
}

/// Polls the campaign mailbox: new UIDs above the checkpoint, each fetched into the spool and
/// taken in; only after the intake transaction committed is it moved to `Processed` (or
/// flagged). A crash anywhere means the message is fetched again next time, and the store's
/// repeat detection (raw SHA-256, Message-ID) keeps it from being filed twice. A message whose
/// work keeps dying (its parser or examiner child) is moved to `Failed` after `max_attempts`
/// and the rest of the mailbox goes on; a service killed while holding a message does not count
/// against it, up to `interruptionLimit`.
public struct MailboxPoller: Sendable {
    public let pipeline: IntakePipeline
    public let settings: GatewayConfiguration.IMAPSettings
    public let server: ServerSettings

    public init(pipeline: IntakePipeline, password: String) throws {
        guard let settings = pipeline.configuration.imap else {
            throw ConfigurationError("配置中没有 [imap] 部分 (no [imap] section in the configuration)")
        }
        self.pipeline = pipeline
        self.settings = settings
        server = ServerSettings(host: settings.host, port: settings.port,
                                security: settings.security,
                                username: settings.username, password: password, caFile: settings.caFile)
    }

    /// One pass. `shouldStop` is asked between messages: on shutdown the current message is
    /// finished (or, if killed, simply fetched again next time) and the pass ends there.
    public func pollOnce(client: IMAPClient? = nil, now: @Sendable () -> Date = Date.init,
                         shouldStop: @Sendable () -> Bool = { false }) throws -> PollReport {
        let client = try client ?? IMAPClient(settings: server)
        let store = pipeline.store
        var checkpoint = try store.checkpoint(for: settings.mailbox)
        var report = PollReport()
        do {
            let status = try client.status(of: settings.mailbox)
            report.uidValidity = status.uidValidity
            // No UIDVALIDITY (some providers) or a changed one: the UIDs mean nothing now, rescan.
            if status.uidValidity == nil || checkpoint.uidValidity.map(UInt64.init) != status.uidValidity {
                checkpoint.lastUid = 0
                checkpoint.uidValidity = status.uidValidity.map(Int64.init)
            }
            let uids = try client.uids(in: settings.mailbox, above: UInt64(checkpoint.lastUid))
            report.found = uids.count
            if !uids.isEmpty {
                // A fresh account has no Processed/Failed folders yet; moving into nothing would fail every message.
                try client.ensureMailbox(settings.failedMailbox)
                if settings.afterFiling == .move { try client.ensureMailbox(settings.processedMailbox) }
            }
            // A message whose work died stays above the checkpoint, so the next pass tries it again.
            var holdCheckpoint = false
            for uid in uids {
                if shouldStop() { break }
                let settled = try take(uid: uid, validity: status.uidValidity ?? 0, client: client, report: &report, now: now())
                holdCheckpoint = holdCheckpoint || !settled
                if status.uidValidity != nil && !holdCheckpoint {
                    checkpoint.lastUid = Int64(uid)
                    try store.save(checkpoint)
                }
            }
            checkpoint.lastPollAt = now()
            checkpoint.lastError = nil
            try store.save(checkpoint)
            return report
        } catch {
            checkpoint.lastError = "\(error)"
            checkpoint.lastErrorAt = now()
            try? store.save(checkpoint)
            throw error
        }
    }

    /// A service that died this often while holding one message stops trying it: the message
    /// itself kills the service in-process (readers run in a child, so this is rare).
    var interruptionLimit: Int { max(10, 3 * settings.maxAttempts) }

    /// Takes one message; false when its work died and it stays to be tried again.
    private func take(uid: UInt64, validity: UInt64, client: IMAPClient, report: inout PollReport, now: Date) throws -> Bool {
        let store = pipeline.store
        let (mailbox, failed) = (settings.mailbox, settings.failedMailbox)
        let state = try store.beginAttempt(mailbox: mailbox, uidValidity: validity, uid: uid)
        if state.attempts >= settings.maxAttempts || state.interruptions >= interruptionLimit {
            try client.move(uid: uid, from: mailbox, to: failed)
            try store.endAttempt(mailbox: mailbox, uidValidity: validity, uid: uid)
            report.movedToFailed += 1
            return true
        }
        let temporary = try store.spool.temporaryURL()
        defer { try? FileManager.default.removeItem(at: temporary) }
        let outcome: IntakeOutcome
        do {
            try client.fetch(uid: uid, from: mailbox, uidValidity: validity == 0 ? nil : validity, into: temporary)
            outcome = try pipeline.ingest(fileAt: temporary, source: "imap", now: now)
        } catch let error as TransportError {
            try store.endAttempt(mailbox: mailbox, uidValidity: validity, uid: uid)
            throw error  // the connection is in trouble, not the message: stop this poll, retry next time
        } catch {
            // The work on this message died (its parser child, or an error): counted; after
            // max_attempts it goes to Failed.
            try store.endAttempt(mailbox: mailbox, uidValidity: validity, uid: uid, died: "\(error)")
            return false
        }
        try store.endAttempt(mailbox: mailbox, uidValidity: validity, uid: uid)
        switch outcome.status {
        case .failed:
            report.failed += 1
            try client.move(uid: uid, from: mailbox, to: failed)
            return true
        case .ignored: report.ignored += 1
        case .filed, .received: if outcome.alreadyProcessed { report.repeated += 1 } else { report.filed += 1 }
        }
        if settings.afterFiling == .move {
            try client.move(uid: uid, from: mailbox, to: settings.processedMailbox)
        } else {
            try client.flag(uid: uid, in: mailbox, flag: "\\Seen $Tuibao")
        }
        return true
    }
}
