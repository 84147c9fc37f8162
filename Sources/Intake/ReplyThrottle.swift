import Foundation

/// Keeps automatic replies from feeding a loop or flooding one person: at most `maxPerSender`
/// automatic replies to one address within `window`, and never the same reply (same content
/// key) to the same address twice within `identicalWindow`. Pure: the caller supplies the
/// recent replies to that address.
public struct ReplyThrottle: Sendable, Hashable {
    public var maxPerSender: Int
    public var window: TimeInterval
    public var identicalWindow: TimeInterval

    public init(maxPerSender: Int = 5, window: TimeInterval = 3600, identicalWindow: TimeInterval = 86_400) {
        self.maxPerSender = maxPerSender
        self.window = window
        self.identicalWindow = identicalWindow
    }

    /// An earlier automatic reply to the same address that was not itself suppressed.
    public struct EarlierReply: Sendable, Hashable {
        public var id: Int64
        public var createdAt: Date
        public var contentKey: String?

        public init(id: Int64, createdAt: Date, contentKey: String?) {
            self.id = id
            self.createdAt = createdAt
            self.contentKey = contentKey
        }
    }

    public enum Verdict: Sendable, Hashable {
        case send
        /// `count` replies already went to this address within the window.
        case rateLimited(count: Int)
        /// The same reply went to this address recently, as reply `earlierId`.
        case identical(earlierId: Int64)

        /// The sentence for the event log and `tuibao outbox`.
        public func explanation(window: TimeInterval, identicalWindow: TimeInterval) -> String? {
            switch self {
            case .send: nil
            case .rateLimited(let count):
                "同一地址 \(Int(window / 60)) 分钟内已有 \(count) 封自动回复，本封不发送（防止邮件循环）(rate limit)"
            case .identical(let earlierId):
                "与第 \(earlierId) 号回复内容相同，\(Int(identicalWindow / 3600)) 小时内不重复发送 (identical reply)"
            }
        }
    }

    public func verdict(contentKey: String, earlier: [EarlierReply], now: Date) -> Verdict {
        if let same = earlier.filter({ $0.contentKey == contentKey && now.timeIntervalSince($0.createdAt) < identicalWindow })
            .max(by: { $0.createdAt < $1.createdAt }) {
            return .identical(earlierId: same.id)
        }
        let recent = earlier.filter { now.timeIntervalSince($0.createdAt) < window }.count
        return recent >= maxPerSender ? .rateLimited(count: recent) : .send
    }
}
