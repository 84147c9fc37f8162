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

    @Option(help: "发送回复的间隔（秒）。 Seconds between dispatcher passes.")
    var sendInterval: Int = 15

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
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = .info
            return handler
        }
        let logger = Logger(label: "tuibao")
        let pipeline = try gateway.openPipeline()
        let configuration = pipeline.configuration
        var services: [any Service] = []
        if let imap = configuration.imap {
            let password = try gateway.imapPassword(imap)
            let poller = try MailboxPoller(pipeline: pipeline, password: password)
            services.append(PeriodicService(name: "poller", interval: .seconds(imap.pollIntervalSeconds), logger: logger) { stop in
                let report = try poller.pollOnce(shouldStop: stop)
                return "新邮件 \(report.found)：受理 \(report.filed)，不处理 \(report.ignored)，重复 \(report.repeated)，失败 \(report.failed + report.movedToFailed)"
            })
        }
        if let smtp = configuration.smtp {
            let password = try gateway.smtpPassword(smtp)
            let dispatcher = try ReplyDispatcher(store: pipeline.store, configuration: configuration, password: password)
            services.append(PeriodicService(name: "dispatcher", interval: .seconds(sendInterval), logger: logger) { _ in
                let report = try dispatcher.sendDue()
                return "已发送 \(report.sent)，稍后重试 \(report.deferred)，失败 \(report.failed)"
            })
        }
        guard !services.isEmpty else { throw CommandFailure("配置中没有 [imap] 或 [smtp]，无事可做 (nothing to run)") }
        let group = ServiceGroup(configuration: .init(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        logger.info("tuibao serve: \(services.count) 个服务已启动 (data: \(configuration.dataDirectory.path))")
        try await group.run()
    }

}

/// Carries an error out of the task `serve` runs in.
/// @unchecked Sendable: written by the task before it signals, read after the wait.
final class BlockingResult: @unchecked Sendable {
    var error: (any Error)?
}
