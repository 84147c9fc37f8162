import ArgumentParser
import Foundation
import Gateway
import Logging
import MailTransport
import ServiceLifecycle
import Store

/// `tuibao serve`: the service — poller (with intake) and reply dispatcher in one service group.
struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "作为服务运行：定时收取邮件、受理、发送回复。 Run the gateway: poll, take in, reply.",
        discussion: "SIGTERM/SIGINT 时完成当前邮件后退出。 On SIGTERM/SIGINT the current message is finished, then it exits.")

    @OptionGroup var gateway: GatewayOptions

    @Option(help: "发送回复的间隔（秒），覆盖配置 [smtp] send_interval。 Seconds between dispatcher passes (overrides [smtp] send_interval).")
    var sendInterval: Int?

    /// The command line stays synchronous (ArgumentParser's async entry point is not chosen from
    /// top-level code here); the service group runs on the concurrency pool while this waits.
    func run() throws {
        let outcome = BlockingResult()
        let semaphore = DispatchSemaphore(value: 0)
        Task {
            do { try await serve() } catch { outcome.error = error }
            semaphore.signal()
        }
        semaphore.wait()
        if let error = outcome.error { throw error }
    }

    func serve() async throws {
        LoggingSystem.bootstrap { label in CampaignLogHandler(label: label) }
        let logger = Logger(label: "tuibao")
        var pipeline = try gateway.openPipeline()
        let configuration = pipeline.configuration
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = []
        if let smtp = configuration.smtp {
            let password = try gateway.smtpPassword(smtp)
            let dispatcher = try ReplyDispatcher(store: pipeline.store, configuration: configuration, password: password)
            // A reply committed by intake is sent at once; the interval is for retries.
            let sendNow = PassRequests()
            pipeline.replyQueued = { sendNow.request() }
            let interval = sendInterval ?? smtp.sendIntervalSeconds
            guard interval > 0 else { throw ValidationError("--send-interval 必须大于 0 (must be positive)") }
            services.append(.init(service: PeriodicService(name: "dispatcher", interval: .seconds(interval), wakeups: sendNow, logger: logger) { _ in
                let report = try dispatcher.sendDue()
                return "已发送 \(report.sent)，稍后重试 \(report.deferred)，失败 \(report.failed)"
            }))
        }
        if let imap = configuration.imap {
            let password = try gateway.imapPassword(imap)
            let poller = try MailboxPoller(pipeline: pipeline, password: password)
            let pollNow = PassRequests()
            services.append(.init(service: PeriodicService(name: "poller", interval: .seconds(imap.pollIntervalSeconds), wakeups: pollNow, logger: logger) { stop in
                let report = try poller.pollOnce(shouldStop: stop)
                return "新邮件 \(report.found)：受理 \(report.filed)，不处理 \(report.ignored)，重复 \(report.repeated)，失败 \(report.failed + report.movedToFailed)"
            }))
            if imap.idle {
                // Ends by itself when the server offers no IDLE: the poller goes on alone.
                let watcher = MailboxWatcher(poller: poller, requestPass: { pollNow.request() })
                services.append(.init(service: MailboxWatcherService(watcher: watcher, logger: logger), successTerminationBehavior: .ignore))
            } else {
                MailboxWatcher.recordDisabled(mailbox: imap.mailbox, store: pipeline.store)
            }
        }
        guard !services.isEmpty else { throw CommandFailure("配置中没有 [imap] 或 [smtp]，无事可做 (nothing to run)") }
        let group = ServiceGroup(configuration: ServiceGroupConfiguration(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        logger.info("tuibao serve: \(services.count) 个服务已启动 (data: \(configuration.dataDirectory.path))")
        try await group.run()
    }

}

/// Carries an error out of the task `serve` runs in.
/// @unchecked Sendable: written by the task before it signals, read after the wait.
final class BlockingResult: @unchecked Sendable {
    var error: (any Error)?
}
