import Foundation

/// Why a message is filed in the log and never becomes a submission or gets a reply.
public enum IgnoreReason: String, Sendable, Codable, CaseIterable {
    case autoReply = "auto-reply"
    case bounce
    case mailingList = "mailing-list"
    case ownAddress = "own-address"
    case loop
    case repeatDelivery = "repeat-delivery"

    /// For staff, in Chinese.
    public var label: String {
        switch self {
        case .autoReply: "自动回复"
        case .bounce: "退信"
        case .mailingList: "邮件列表"
        case .ownAddress: "本邮箱发出"
        case .loop: "邮件循环 (X-Loop)"
        case .repeatDelivery: "重复投递"
        }
    }
}

/// The never-reply rules of the domain (RFC 3834 and the campaign's own): auto-replies,
/// bounces, list mail, our own mail and loops are ignored. Repeat delivery needs the store and
/// is decided by the pipeline.
public struct IgnoreRules: Sendable {
    /// Our mailbox address(es), lower-cased.
    public var ownAddresses: Set<String>

    public init(ownAddresses: some Sequence<String>) {
        self.ownAddresses = Set(ownAddresses.map { $0.lowercased() })
    }

    public func reason(for message: InboundMessage) -> IgnoreReason? {
        // Bounces first: they usually carry Auto-Submitted too, and "bounce" is the truer reason.
        if message.isDeliveryReport || message.returnPath == "" { return .bounce }
        if let from = message.fromAddress?.lowercased(), Self.isSystemSender(from) { return .bounce }
        if let sender = message.returnPath?.lowercased(), Self.isSystemSender(sender) { return .bounce }
        if let auto = message.autoSubmitted?.lowercased(), !auto.isEmpty, auto.split(separator: ";").first?
            .trimmingCharacters(in: .whitespaces) != "no" {
            return .autoReply
        }
        if let precedence = message.precedence?.lowercased().trimmingCharacters(in: .whitespaces),
           ["bulk", "junk", "list"].contains(precedence) {
            return precedence == "list" ? .mailingList : .autoReply
        }
        if !message.listHeaderNames.isEmpty { return .mailingList }
        if message.xLoop.contains(where: { loop in ownAddresses.contains { loop.lowercased().contains($0) } }) { return .loop }
        if let from = message.fromAddress?.lowercased(), ownAddresses.contains(from) { return .ownAddress }
        return nil
    }

    /// MAILER-DAEMON and postmaster send bounces, whatever their headers say.
    static func isSystemSender(_ address: String) -> Bool {
        let local = address.split(separator: "@").first.map(String.init) ?? address
        return local == "mailer-daemon" || local == "postmaster"
    }
}
