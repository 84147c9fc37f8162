import Dispatch
import Foundation
import Logging
import MailTransport
import ServiceLifecycle
import Store

/// Waits for new mail with IMAP IDLE on a connection of its own and asks the poller for a pass
/// as soon as the server announces it (`* n EXISTS`). The pass itself — fetch, intake, move,
/// checkpoint, poison handling — is the poller's, on its own connection, unchanged.
///
/// One connection: login, ID, CAPABILITY, EXAMINE; a pass is asked for right then (mail may
/// have come while there was no connection), then IDLE. On EXISTS: DONE, a pass, IDLE again.
/// IDLE is renewed every `idle_renew_seconds` (DONE must be answered within
/// `idle_answer_seconds`, else the connection is dead). A lost connection is opened again after
/// 1, 2, 4 … 300 s (±20 % jitter), back to 1 s once a connection has lasted a minute. A server
/// without IDLE leaves the poller to its `poll_interval`. Its state is kept in the store for
/// `tuibao status`.
public struct MailboxWatcher: Sendable {
    public let settings: GatewayConfiguration.IMAPSettings
    public let server: ServerSettings
    public let store: TuibaoStore
    /// Asks the poller for a pass.
    public let requestPass: @Sendable () -> Void
    /// The first wait before connecting again, and the longest.
    public var backoff: (first: TimeInterval, longest: TimeInterval) = (1, 300)

    public init(poller: MailboxPoller, requestPass: @escaping @Sendable () -> Void) {
        settings = poller.settings
        server = poller.server
        store = poller.pipeline.store
        self.requestPass = requestPass
    }

    /// How a watch ended.
    public enum Outcome: Sendable, Equatable {
        case stopped
        /// The server does not offer IDLE: the poller polls at poll_interval.
        case unsupported
    }

    /// Watches until `shouldStop` (asked at least every quarter second while waiting) or the
    /// server turns out not to offer IDLE. Never throws: trouble is logged, recorded and retried.
    public func run(shouldStop: @escaping @Sendable () -> Bool, log: @Sendable (Logger.Level, String) -> Void) -> Outcome {
        let started = Date()
        var state = MailboxIdleState(mailbox: settings.mailbox, state: .connecting, serviceStartedAt: started, updatedAt: started)
        if let earlier = try? store.idleState(for: settings.mailbox) {
            // What the last run saw stays visible until this run sees anew.
            state.lastExistsAt = earlier.lastExistsAt
            state.lastExists = earlier.lastExists
            state.serverOffersIdle = earlier.serverOffersIdle
        }
        record(&state)
        var delay = backoff.first
        while !shouldStop() {
            let connectedAt = Date()
            do {
                if try watch(&state, shouldStop: shouldStop, log: log) == .unsupported { return .unsupported }
                break  // stopping
            } catch {
                if shouldStop() { break }
                if Date().timeIntervalSince(connectedAt) >= 60 { delay = backoff.first }
                let wait = delay * Double.random(in: 0.8...1.2)
                log(.warning, "IDLE 连接中断，\(String(format: "%.1f", wait)) 秒后重连 (IDLE connection lost, reconnecting): \(error)")
                state.state = .reconnecting
                state.idlingSince = nil
                state.reconnects += 1
                state.lastError = "\(error)"
                state.lastErrorAt = Date()
                record(&state)
                let until = Date().addingTimeInterval(wait)
                while Date() < until && !shouldStop() { usleep(100_000) }
                delay = min(delay * 2, backoff.longest)
            }
        }
        state.state = .stopped
        state.idlingSince = nil
        record(&state)
        return .stopped
    }

    /// One connection, until it fails (throws), the service stops, or IDLE is not offered.
    private func watch(_ state: inout MailboxIdleState, shouldStop: () -> Bool,
                       log: @Sendable (Logger.Level, String) -> Void) throws -> Outcome {
        state.state = .connecting
        record(&state)
        let connection = try IMAPIdleConnection(settings: server, answerTimeout: TimeInterval(settings.idleAnswerSeconds))
        defer { connection.close() }
        try connection.open(mailbox: settings.mailbox)
        state.serverOffersIdle = connection.offersIdle
        guard connection.offersIdle else {
            log(.notice, "服务器不支持 IDLE，每 \(settings.pollIntervalSeconds) 秒收取一次 (server offers no IDLE: polling)")
            state.state = .unsupported
            record(&state)
            return .unsupported
        }
        // Mail that came while there was no connection (or before the service started).
        requestPass()
        let renew = TimeInterval(settings.idleRenewSeconds)
        while !shouldStop() {
            try connection.startIdle()
            if state.state != .idling {
                state.state = .idling
                state.idlingSince = Date()
                record(&state)
                log(.info, "IDLE: 等待新邮件 (idling on \(settings.mailbox))")
            }
            let event = try connection.waitForMail(until: Date().addingTimeInterval(renew), shouldStop: shouldStop)
            if event == .stopping { break }
            try connection.endIdle()
            if case .exists(let count) = event {
                state.lastExistsAt = Date()
                state.lastExists = count
                record(&state)
                requestPass()
            }
        }
        return .stopped
    }

    /// Writes the state for `tuibao status`; a store that cannot be written must not stop the watch.
    private func record(_ state: inout MailboxIdleState) {
        state.updatedAt = Date()
        try? store.save(state)
    }

    /// Notes that IDLE is off by configuration, for `tuibao status`.
    public static func recordDisabled(mailbox: String, store: TuibaoStore, now: Date = Date()) {
        try? store.save(MailboxIdleState(mailbox: mailbox, state: .disabled, serviceStartedAt: now, updatedAt: now))
    }
}

/// The IDLE watcher as a swift-service-lifecycle `Service`: its blocking loop runs on a dispatch
/// queue of its own; SIGTERM ends IDLE and logs out within a few seconds.
public struct MailboxWatcherService: Service {
    public let watcher: MailboxWatcher
    public let logger: Logger

    public init(watcher: MailboxWatcher, logger: Logger) {
        self.watcher = watcher
        self.logger = logger
    }

    public func run() async throws {
        let stopping = StopFlag()
        let queue = DispatchQueue(label: "tuibao.idle")
        let (watcher, logger) = (self.watcher, self.logger)
        await withTaskCancellationHandler {
            await withGracefulShutdownHandler {
                _ = try? await onQueue(queue) {
                    watcher.run(shouldStop: { stopping.isSet }) { level, message in logger.log(level: level, "idle: \(message)") }
                }
            } onGracefulShutdown: {
                stopping.set()
            }
        } onCancel: {
            stopping.set()
        }
    }
}
