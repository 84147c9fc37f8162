import Fingerprints
import Foundation
import Intake
import MaterialChecks
import Store

/// Is this deed already on file? Against earlier campaigns' lists and this campaign's other
/// submissions: the same file (SHA-256), an essay whose text is a near-duplicate however it was
/// reformatted (MinHash + LSH candidates from the index, then the full signature), or the same
/// nominee and unit with a near-identical title. The same nominee and unit with other material
/// is only `duplicate.possible`, for staff. A submission is never its own duplicate.
struct DuplicateCheck {
    let configuration: GatewayConfiguration
    var thresholds: DuplicateThresholds { configuration.duplicateThresholds }
    func fingerprints(of nomination: Nomination) -> [FingerprintedEssay] {
        nomination.essays.compactMap { essay in
            essay.text.flatMap(EssayIndex.fingerprint).map { FingerprintedEssay(essay: essay, fingerprint: $0) }
        }
    }

    /// - Parameter submissionId: the submission this nomination continues (never its own
    ///   duplicate); nil for a new one.
    func findings(for nomination: Nomination, essays: [FingerprintedEssay], submissionId: Int64?,
                  store: StoreReader) throws -> [DuplicateFinding] {
        let keys = MatchingKeys(units: configuration.units)
        let materials = ([nomination.formFile].compactMap { $0 } + nomination.essays + nomination.images + nomination.videos)
            .filter { $0.sha256.count == 64 }
        let pictures = Set(nomination.images.map(\.sha256))
        let names = Dictionary(materials.map { ($0.sha256, $0.name) }, uniquingKeysWith: { first, _ in first })
        var earlier: [Int64: Evidence] = [:]
        var current: [Int64: Evidence] = [:]

        // 1. The same file.
        for (recordId, sha256) in try store.earlierRecordsSharingFiles(Array(names.keys)) {
            earlier[recordId, default: Evidence()].sharedFiles.append(SharedFile(sha256: sha256, name: names[sha256] ?? ""))
        }
        for (otherId, sha256) in try store.submissionsSharingFiles(Array(names.keys), excluding: submissionId) {
            current[otherId, default: Evidence()].sharedFiles.append(SharedFile(sha256: sha256, name: names[sha256] ?? ""))
        }
        // 2. A near-duplicate essay.
        for essay in essays {
            for (candidate, measured) in try EssayIndex.matches(for: essay.essay.text ?? "", fingerprint: essay.fingerprint,
                                                                 excludingSubmission: submissionId, store: store, thresholds: thresholds) {
                // A shortened resend is judged by containment; report whichever measure decided.
                let similarity = max(measured.jaccard, measured.containment >= thresholds.essayContainment ? measured.containment : 0)
                if let record = candidate.earlierRecordId {
                    earlier[record, default: Evidence()].essaySimilarity = max(earlier[record]?.essaySimilarity ?? 0, similarity)
                } else if let other = candidate.submissionId {
                    current[other, default: Evidence()].essaySimilarity = max(current[other]?.essaySimilarity ?? 0, similarity)
                }
            }
        }
        // 3. The same nominee and unit.
        let nomineeKey = keys.name(nomination.form?.nominee)
        let unitKey = nomination.form?.unit.map(keys.unit)
        if let nomineeKey, let unitKey {
            for record in try store.earlierRecords(nomineeKey: nomineeKey, unitKey: unitKey) {
                earlier[record.id!, default: Evidence()].sameNominee = true
            }
            for other in try store.submissions(nomineeKey: nomineeKey, unitKey: unitKey, excluding: submissionId) {
                current[other.id!, default: Evidence()].sameNominee = true
            }
        }

        var findings: [DuplicateFinding] = []
        let title = nomination.form?.deedTitle
        for (recordId, evidence) in earlier.sorted(by: { $0.key < $1.key }) {
            guard let record = try store.earlierRecord(id: recordId),
                  let campaign = try store.earlierCampaign(id: record.campaignId) else { continue }
            let titleSimilarity = title.map { Similarity.title($0, record.title) }
            let when = [record.submittedOn, "编号 \(record.externalId)"].compactMap { $0 }.joined(separator: "，")
            let description = "\(campaign.name)（\(when)）《\(record.title)》"
            if let found = finding(evidence, pictures: pictures, titleSimilarity: titleSimilarity, earlierRecordId: recordId, otherSubmissionId: nil,
                                   same: .duplicateEarlierCampaign, description: description, nominee: record.nominee) {
                findings.append(found)
            }
        }
        for (otherId, evidence) in current.sorted(by: { $0.key < $1.key }) {
            guard let other = try store.submission(id: otherId) else { continue }
            let titleSimilarity = title.flatMap { mine in other.title.map { Similarity.title(mine, $0) } }
            let description = ReplyBuilder.describe(other, in: configuration.timeZone)
            if let found = finding(evidence, pictures: pictures, titleSimilarity: titleSimilarity, earlierRecordId: nil, otherSubmissionId: otherId,
                                   same: .duplicateThisCampaign, description: description, nominee: other.nominee) {
                findings.append(found)
            }
        }
        return findings
    }

    struct SharedFile: Codable, Hashable {
        var sha256: String
        var name: String
    }

    struct Evidence {
        var sharedFiles: [SharedFile] = []
        var essaySimilarity: Double?
        var sameNominee = false
    }

    /// Evidence has weight. The same form, essay or video file, a near-duplicate essay, or the
    /// same nominee with a near-identical title: the same deed. The same nominee alone, or only
    /// a shared picture (an institute's group photo travels): possibly, for staff.
    private func finding(_ evidence: Evidence, pictures: Set<String>, titleSimilarity: Double?, earlierRecordId: Int64?,
                         otherSubmissionId: Int64?, same code: ProblemCode, description: String, nominee: String?) -> DuplicateFinding? {
        var reasons: [String] = []
        let sharedMaterials = evidence.sharedFiles.filter { !pictures.contains($0.sha256) }
        let sharedPictures = evidence.sharedFiles.filter { pictures.contains($0.sha256) }
        if !sharedMaterials.isEmpty { reasons.append("相同文件“\(sharedMaterials.map(\.name).joined(separator: "”“"))”") }
        if let similarity = evidence.essaySimilarity { reasons.append("征文内容相似度 \(Int((similarity * 100).rounded()))%") }
        let sameTitle = evidence.sameNominee && (titleSimilarity ?? 0) >= thresholds.titleSimilarity
        if sameTitle { reasons.append("推报对象相同、标题相近") }
        let problem: Problem
        if !reasons.isEmpty {
            let message = code == .duplicateEarlierCampaign
                ? "该事迹已于\(description)报送（\(reasons.joined(separator: "，"))）。按照通知要求，已经推报的事迹不必重复报送。"
                : "该事迹已在\(description)报送过（\(reasons.joined(separator: "，"))），不必重复报送。"
            problem = Problem(code: code, message: message)
        } else if evidence.sameNominee {
            problem = Problem(code: .duplicatePossible,
                              message: "推报对象“\(nominee ?? "")”曾于\(description)报送，本次材料不同，工作人员将核实。")
        } else if !sharedPictures.isEmpty {
            problem = Problem(code: .duplicatePossible,
                              message: "图片“\(sharedPictures.map(\.name).joined(separator: "”“"))”与\(description)的图片相同，其余材料不同，工作人员将核实。")
        } else {
            return nil
        }
        let shared = (try? JSONEncoder().encode(evidence.sharedFiles)).map { String(decoding: $0, as: UTF8.self) } ?? "[]"
        return DuplicateFinding(problem: problem, match: DuplicateMatchRecord(
            versionId: 0, code: problem.code.rawValue, earlierRecordId: earlierRecordId, otherSubmissionId: otherSubmissionId,
            essaySimilarity: evidence.essaySimilarity, titleSimilarity: titleSimilarity, sharedFiles: shared,
            sameNominee: evidence.sameNominee),
            earlier: reasons.isEmpty ? description : "\(description)（\(reasons.joined(separator: "，"))）")
    }
}

/// The essay index: fingerprints in `essay_fingerprint`, one `essay_band` row per LSH band.
public enum EssayIndex {
    static let hasher = MinHasher()

    /// The fingerprint every stored essay and every check uses (nil for a text too short to tell).
    public static func fingerprint(_ text: String) -> EssayFingerprint? {
        EssayFingerprint.make(text: text, hasher: hasher, banding: LSHBanding())
    }

    /// Stored essays that are the same essay as `text` (whose `fingerprint` the caller made): the
    /// few sharing a band are compared exactly on their text where it is kept (it is for every
    /// document read), else on the full signature (a list row that gave only a sha256).
    /// How far below a threshold a signature estimate must be for the text not to be compared.
    static let estimateMargin = 0.2

    public static func matches(for text: String, fingerprint: EssayFingerprint, excludingSubmission submissionId: Int64?,
                               store: StoreReader, thresholds: DuplicateThresholds = .default) throws -> [(EssayFingerprintRecord, EssaySimilarity)] {
        var matches: [(EssayFingerprintRecord, EssaySimilarity)] = []
        var shingles: Set<UInt64>?  // of `text`, made only when a candidate's text is at hand
        for candidate in try store.essayCandidates(bandKeys: fingerprint.bandKeys, anchorKeys: fingerprint.anchorKeys)
        where submissionId == nil || candidate.submissionId != submissionId {
            let estimated = Similarity.estimated(fingerprint, EssayFingerprint(
                normalizedLength: candidate.normalizedLength, shingleCount: candidate.shingleCount,
                signature: MinHashSignature(littleEndianData: candidate.signature), bandKeys: []))
            // The signatures first: a candidate far below both thresholds (0.2 is over four
            // standard errors of a 128-value estimate) is not read and compared on its text —
            // the exact comparison decodes the stored facts, which costs most of a check.
            if estimated.jaccard < thresholds.essaySimilarity - Self.estimateMargin
                && estimated.containment < thresholds.essayContainment - Self.estimateMargin { continue }
            let measured: EssaySimilarity
            if let other = try essayText(sha256: candidate.sha256, store: store) {
                let mine = shingles ?? hasher.shingles(of: EssayFingerprint.comparablePart(of: TextNormalizer.normalized(text)))
                shingles = mine
                let theirs = hasher.shingles(of: EssayFingerprint.comparablePart(of: TextNormalizer.normalized(other)))
                measured = Similarity.essays(shingles: mine, theirs)
            } else {
                measured = estimated
            }
            if thresholds.isSameEssay(measured) { matches.append((candidate, measured)) }
        }
        return matches
    }

    /// The essay text of an examined file, from the facts cache.
    static func essayText(sha256: String, store: StoreReader) throws -> String? {
        for json in try store.cachedFacts(sha256: sha256) {
            if let text = MaterialFacts(json: json)?.flattened.first(where: { $0.kind == .essay && $0.text != nil })?.text {
                return text
            }
        }
        return nil
    }

    /// The index record of a submission's essay.
    static func record(_ essay: FingerprintedEssay, submissionId: Int64) -> EssayFingerprintRecord {
        EssayFingerprintRecord(earlierRecordId: nil, submissionId: submissionId, sha256: essay.essay.sha256,
                               normalizedLength: essay.fingerprint.normalizedLength, shingleCount: essay.fingerprint.shingleCount,
                               signature: essay.fingerprint.signature.littleEndianData)
    }
}
