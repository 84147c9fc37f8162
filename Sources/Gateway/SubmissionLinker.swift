import GRDB
import Intake
import Store

/// Finds the submission a unit's reply belongs to: our tracking number in the subject, or
/// In-Reply-To/References naming one of our reply Message-IDs.
struct SubmissionLinker {
    let campaign: GatewayConfiguration.CampaignSettings

    func existingSubmission(for message: InboundMessage, db: Database) throws -> SubmissionRecord? {
        if let subject = message.subject, let number = TrackingNumber.find(in: subject, prefix: campaign.trackingPrefix),
           let found = try SubmissionRecord.filter(SubmissionRecord.Columns.trackingNumber == number.description).fetchOne(db) {
            return found
        }
        let ids = ([message.inReplyTo].compactMap { $0 } + message.references)
        guard !ids.isEmpty else { return nil }
        guard let reply = try ReplyRecord.filter(ids.contains(ReplyRecord.Columns.headerMessageId)
                                                 && ReplyRecord.Columns.submissionId != nil).fetchOne(db),
              let submissionId = reply.submissionId else { return nil }
        return try SubmissionRecord.fetchOne(db, key: submissionId)
    }

    func nextSequence(db: Database) throws -> Int {
        try (SubmissionRecord.filter(SubmissionRecord.Columns.campaignId == campaign.id)
            .select(max(SubmissionRecord.Columns.sequence), as: Int.self).fetchOne(db) ?? 0) + 1
    }
}
