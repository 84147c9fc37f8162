import Foundation
import Intake
import MIME
import MaterialChecks

/// What tuibao would do with one message, without a store: the never-reply rules, then the
/// materials examined and checked nomination by nomination. `tuibao check` prints this; intake
/// takes the same steps inside its transaction (where it also links versions and repeats).
public struct MessageAssessment: Sendable {
    public var action: Action
    public var ignoreReason: IgnoreReason?
    public var nominations: [Nomination]
    public var unassigned: [String]

    /// - Parameter parsed: a message parsed with an attachment directory (the files are read).
    public static func assess(_ parsed: ParsedMessage, configuration: GatewayConfiguration?, now: Date = Date()) -> MessageAssessment {
        let inbound = InboundMessage(parsed)
        let ownAddresses = configuration?.ownAddresses ?? ["xcb@cashq.ac.cn"]
        if let reason = IgnoreRules(ownAddresses: ownAddresses).reason(for: inbound) {
            return MessageAssessment(action: .ignore, ignoreReason: reason, nominations: [], unassigned: [])
        }
        let rules = configuration?.rules ?? CampaignRules()
        let examiner = MaterialExaminer(rules: rules)
        let facts = parsed.attachments.compactMap { attachment -> MaterialFacts? in
            guard let path = attachment.storedPath else { return nil }
            if attachment.isBodyDecoration(rules: rules) { return attachment.decorationFacts() }
            return examiner.examine(fileAt: URL(fileURLWithPath: path), name: attachment.filename ?? "（无文件名）",
                                    sha256: attachment.sha256, size: Int(attachment.size))
        }
        var materials = NominationChecker(rules: rules)
            .check(files: facts, bodyText: parsed.bodyText, links: examiner.links(in: parsed.bodyText), now: now)
        if let configuration {
            let unit = inbound.fromAddress.flatMap(configuration.units.unit(forAddress:))
            let senderProblems = SenderRules(registry: configuration.units).problems(for: inbound, unit: unit)
            for index in materials.nominations.indices { materials.nominations[index].problems += senderProblems }
        }
        return MessageAssessment(action: materials.action, ignoreReason: nil, nominations: materials.nominations,
                                 unassigned: materials.unassigned)
    }
}
