import Dispatch
import Foundation
import Logging
import MailTransport
import ServiceLifecycle
import Synchronization

/// A job run every `interval` as a swift-service-lifecycle `Service`, and at once whenever its
/// `wakeups` are asked for a pass: the mailbox poller (woken by the IDLE watcher when the server
/// announces mail) and the reply dispatcher (woken when intake queues a reply). The blocking
/// work (libcurl, GMime, SQLite) and the wait between passes run on a dedicated dispatch queue,
/// off the cooperative pool. On SIGTERM/SIGINT the current pass is told to stop after the
/// message at hand.
public struct PeriodicService: Service {
    public let name: String
    public let interval: Duration
    public let logger: Logger
    public let wakeups: PassRequests
    let work: @Sendable (_ shouldStop: @escaping @Sendable () -> Bool) throws -> String

    public init(name: String, interval: Duration, wakeups: PassRequests = PassRequests(), logger: Logger,
                work: @escaping @Sendable (_ shouldStop: @escaping @Sendable () -> Bool) throws -> String) {
        self.name = name
        self.interval = interval
        self.wakeups = wakeups
        self.logger = logger
        self.work = work
    }

    public func run() async throws {
        let stopping = StopFlag()
        let queue = DispatchQueue(label: "tuibao.\(name)")
        let seconds = TimeInterval(interval.components.seconds) + TimeInterval(interval.components.attoseconds) / 1e18
        let wakeups = self.wakeups
        await withTaskCancellationHandler {
            await withGracefulShutdownHandler {
                while !stopping.isSet {
                    do {
                        let summary = try await onQueue(queue) { try work { stopping.isSet } }
                        logger.info("\(name): \(summary)")
                    } catch {
                        logger.error("\(name): \(error)")
                    }
                    if stopping.isSet { break }
                    _ = try? await onQueue(queue) { wakeups.wait(timeout: seconds) }
                }
            } onGracefulShutdown: {
                stopping.set()
                wakeups.stop()
            }
        } onCancel: {
            stopping.set()
            wakeups.stop()
        }
    }
}

/// Runs blocking work on `queue` and waits for it without holding a thread of the pool.
func onQueue<T: Sendable>(_ queue: DispatchQueue, _ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
        queue.async { continuation.resume(with: Result { try work() }) }
    }
}

/// Asks a `PeriodicService` for a pass now, from any thread. Requests made while a pass runs
/// come together into one more pass right after it, so nothing announced during a pass is left
/// for the next interval.
public final class PassRequests: @unchecked Sendable {
    // @unchecked Sendable: every field is read and written under `condition`.
    private let condition = NSCondition()
    private var requested = 0
    private var served = 0
    private var stopped = false

    public init() {}

    /// A pass as soon as the current one (if any) has ended.
    public func request() {
        condition.lock()
        requested += 1
        condition.broadcast()
        condition.unlock()
    }

    /// Blocks until a pass is requested, `timeout` seconds passed, or `stop()`; true when requested.
    @discardableResult
    public func wait(timeout: TimeInterval) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        let deadline = Date().addingTimeInterval(timeout)
        while requested == served && !stopped {
            if !condition.wait(until: deadline) { break }
        }
        let asked = requested != served
        served = requested
        return asked
    }

    /// Ends every wait, now and later (the service is stopping).
    public func stop() {
        condition.lock()
        stopped = true
        condition.broadcast()
        condition.unlock()
    }
}

/// Set once, read from any thread.
final class StopFlag: Sendable {
    private let flag = Atomic<Bool>(false)
    var isSet: Bool { flag.load(ordering: .acquiring) }
    func set() { flag.store(true, ordering: .releasing) }
}
