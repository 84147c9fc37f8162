import Intake
import Store

/// Finds the submission a unit's reply belongs to: our tracking number in the subject, or
/// In-Reply-To/References naming one of our reply Message-IDs.
struct SubmissionLinker {
    let campaign: GatewayConfiguration.CampaignSettings

    func existingSubmission(for message: InboundMessage, store: StoreReader) throws -> SubmissionRecord? {
        if let subject = message.subject, let number = TrackingNumber.find(in: subject, prefix: campaign.trackingPrefix),
           let found = try store.submission(trackingNumber: number.description) {
            return found
        }
        return try store.submission(answeredByReplyIds: [message.inReplyTo].compactMap { $0 } + message.references)
    }
}
