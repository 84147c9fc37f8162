import Intake
import MIME

extension InboundMessage {
    /// The facts the intake rules need, taken from a parsed message.
    init(_ parsed: ParsedMessage) {
        let headers = parsed.headers
        self.init(messageId: headers.messageId, subject: headers.subject,
                  fromAddress: headers.from.first?.address, fromName: headers.from.first?.name,
                  replyToAddress: headers.replyTo.first?.address, senderAddress: headers.sender?.address,
                  returnPath: headers.returnPath, autoSubmitted: headers.autoSubmitted, precedence: headers.precedence,
                  listHeaderNames: headers.listHeaders.map(\.name), xLoop: headers.xLoop,
                  isDeliveryReport: parsed.hasDeliveryStatus, inReplyTo: headers.inReplyTo, references: headers.references)
    }
}
