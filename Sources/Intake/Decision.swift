import Foundation

/// Exactly one per message (`shared/domain.md`, Outcomes).
public enum Action: String, Sendable, Codable, CaseIterable {
    case acknowledge, correct, alreadySubmitted, ignore

    public var label: String {
        switch self {
        case .acknowledge: "受理回执"
        case .correct: "请补正"
        case .alreadySubmitted: "已报送，不必重复"
        case .ignore: "不处理"
        }
    }
}

/// Chooses the action for a nomination or a new version from its problems: a duplicate of an
/// earlier record wins, then any error asks for correction, else a receipt.
public enum DecisionRules {
    public static func action(for problems: [Problem]) -> Action {
        if problems.contains(where: { $0.code == .duplicateEarlierCampaign || $0.code == .duplicateThisCampaign }) {
            return .alreadySubmitted
        }
        if problems.contains(where: { $0.severity == .error }) { return .correct }
        return .acknowledge
    }

    /// One mail's action from its nominations' (one per form): a correction request when any
    /// needs one (it lists the others too), "already submitted" only when every one was.
    public static func action(combining actions: [Action]) -> Action {
        if actions.contains(.correct) { return .correct }
        if !actions.isEmpty, actions.allSatisfy({ $0 == .alreadySubmitted }) { return .alreadySubmitted }
        return .acknowledge
    }
}

/// RFC 3834 §4: replies go to Reply-To, else From — never to a null Return-Path.
public enum ReplyAddressing {
    public static func recipient(for message: InboundMessage) -> String? {
        if message.returnPath == "" { return nil }
        let candidate = message.replyToAddress ?? message.fromAddress
        // Checked on scalars: "\r\n" is one Character in Swift and would slip past a Character test.
        guard let address = candidate?.trimmingCharacters(in: .whitespaces), address.contains("@"),
              !address.unicodeScalars.contains(where: { $0.value < 0x21 || $0.value == 0x7F || "<>,;\"".unicodeScalars.contains($0) })
        else { return nil }
        return address
    }
}
