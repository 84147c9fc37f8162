/// What the intake rules need to know about one incoming message. Built by the gateway from the
/// parsed mail, so the domain never imports the MIME module or touches a file.
public struct InboundMessage: Sendable, Hashable {
    public var messageId: String?
    public var subject: String?
    public var fromAddress: String?
    public var fromName: String?
    public var replyToAddress: String?
    public var senderAddress: String?
    /// Address inside Return-Path; "" for the null path `<>`; nil when absent.
    public var returnPath: String?
    public var autoSubmitted: String?
    public var precedence: String?
    public var listHeaderNames: [String]
    public var xLoop: [String]
    public var isDeliveryReport: Bool
    public var inReplyTo: String?
    public var references: [String]

    public init(messageId: String? = nil, subject: String? = nil, fromAddress: String? = nil, fromName: String? = nil,
                replyToAddress: String? = nil, senderAddress: String? = nil, returnPath: String? = nil,
                autoSubmitted: String? = nil, precedence: String? = nil, listHeaderNames: [String] = [],
                xLoop: [String] = [], isDeliveryReport: Bool = false, inReplyTo: String? = nil, references: [String] = []) {
        self.messageId = messageId
        self.subject = subject
        self.fromAddress = fromAddress
        self.fromName = fromName
        self.replyToAddress = replyToAddress
        self.senderAddress = senderAddress
        self.returnPath = returnPath
        self.autoSubmitted = autoSubmitted
        self.precedence = precedence
        self.listHeaderNames = listHeaderNames
        self.xLoop = xLoop
        self.isDeliveryReport = isDeliveryReport
        self.inReplyTo = inReplyTo
        self.references = references
    }
}
