import Fingerprints
import Intake
import MaterialChecks
import Store

/// A mail without our tracking number may still continue a deed on file: a supplement
/// (补充材料), a resend, a colleague's copy. It belongs to an open submission of the same unit
/// (the registry's unit of the sender, or the same address when the registry does not know it)
/// when it names that submission's nominee or deed title — in its form if it carries one, else
/// in its subject or text — or, carrying no form, when the unit has exactly one open submission.
/// When it could belong to several, staff decide (`supplement.ambiguous`); a mail with a form
/// naming someone else is a new deed.
struct SupplementFinder {
    enum Match {
        case none
        case one(SubmissionRecord)
        /// Several could be meant: those named, or (a form-less mail naming none) every open one.
        case ambiguous([OpenSubmissionName])
    }

    let configuration: GatewayConfiguration

    func match(for inbound: InboundMessage, bodyText: String, newFiles: [MaterialFacts], store: StoreReader) throws -> Match {
        guard let address = inbound.fromAddress, !address.isEmpty else { return .none }
        let unit = configuration.units.unit(forAddress: address)?.name
        let open = try store.openSubmissionNames(campaignId: configuration.campaign.id, unitName: unit, senderAddress: address)
        guard !open.isEmpty else { return .none }

        let keys = MatchingKeys(units: configuration.units)
        let forms = newFiles.flatMap(\.flattened).compactMap(\.form)
        let named: [OpenSubmissionName]
        if forms.isEmpty {
            let text = TextNormalizer.normalizedName([inbound.subject ?? "", bodyText].joined(separator: "\n"))
            named = open.filter { submission in
                // Only what a form said names a deed: without a form the title is the mail's subject.
                guard submission.nominee != nil else { return false }
                return [submission.nominee, submission.title].contains { name in
                    guard let key = keys.name(name), key.count >= 2 else { return false }
                    return text.contains(key)
                }
            }
        } else {
            let nominees = Set(forms.compactMap { keys.name($0.nominee) })
            let titles = Set(forms.compactMap { keys.name($0.deedTitle) })
            named = open.filter { submission in
                (submission.nomineeKey.map(nominees.contains) ?? false) || (keys.name(submission.title).map(titles.contains) ?? false)
            }
        }
        switch named.count {
        case 1: return try record(named[0], store)
        case 2...: return .ambiguous(named)
        default:
            guard forms.isEmpty else { return .none }
            return open.count == 1 ? try record(open[0], store) : .ambiguous(open)
        }
    }

    /// The whole record of the one submission matched (only it is read in full).
    private func record(_ name: OpenSubmissionName, _ store: StoreReader) throws -> Match {
        try store.submission(id: name.id).map(Match.one) ?? .none
    }

    /// The warning for staff when a supplement could belong to several submissions.
    /// At most this many are named in the warning (the latest); a unit may have hundreds open.
    static let namedInWarning = 5

    static func ambiguity(_ candidates: [OpenSubmissionName]) -> Problem {
        let shown = candidates.suffix(namedInWarning)
        var names = shown.map { "\($0.trackingNumber)（\($0.nominee ?? $0.title ?? "")）" }.joined(separator: "、")
        if candidates.count > shown.count { names += " 等 \(candidates.count) 件" }
        return Problem(code: .supplementAmbiguous,
                       message: "本邮件未注明受理编号，可能是对 \(names) 的补充，已暂作新推报登记，工作人员将核实。")
    }
}
