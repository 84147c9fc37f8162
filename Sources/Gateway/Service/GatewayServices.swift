import Dispatch
import Foundation
import Logging
import MailTransport
import ServiceLifecycle
import Synchronization

/// A job run every `interval` as a swift-service-lifecycle `Service`: the mailbox poller (which
/// takes each message through the intake pipeline) and the reply dispatcher. The blocking work
/// (libcurl, GMime, SQLite) runs on a dedicated dispatch queue, off the cooperative pool. On
/// SIGTERM/SIGINT the current pass is told to stop after the message at hand.
public struct PeriodicService: Service {
    public let name: String
    public let interval: Duration
    public let logger: Logger
    let work: @Sendable (_ shouldStop: @escaping @Sendable () -> Bool) throws -> String

    public init(name: String, interval: Duration, logger: Logger,
                work: @escaping @Sendable (_ shouldStop: @escaping @Sendable () -> Bool) throws -> String) {
        self.name = name
        self.interval = interval
        self.logger = logger
        self.work = work
    }

    public func run() async throws {
        let stopping = StopFlag()
        let queue = DispatchQueue(label: "tuibao.\(name)")
        try await withGracefulShutdownHandler {
            while !stopping.isSet {
                do {
                    let summary = try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<String, any Error>) in
                        queue.async {
                            continuation.resume(with: Result { try work { stopping.isSet } })
                        }
                    }
                    logger.info("\(name): \(summary)")
                } catch {
                    logger.error("\(name): \(error)")
                }
                if stopping.isSet { break }
                try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
            }
        } onGracefulShutdown: {
            stopping.set()
        }
    }
}

/// Set once, read from any thread.
final class StopFlag: Sendable {
    private let flag = Atomic<Bool>(false)
    var isSet: Bool { flag.load(ordering: .acquiring) }
    func set() { flag.store(true, ordering: .releasing) }
}
