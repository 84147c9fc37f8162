import Foundation
import Intake
import Store

/// A review mistake, said in Chinese with the English gist (the command prints it as one line).
public struct ReviewError: Error, CustomStringConvertible, Sendable {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// A shortlisted deed as the review shows it.
public struct ReviewDeed: Sendable, Hashable {
    public var id: Int64
    public var trackingNumber: String
    /// The sender's registered unit, else the unit the form names.
    public var unit: String?
    public var nominee: String?
    public var category: String?
    public var title: String?
}

/// The committee review of one campaign (`tuibao review`): rounds, the shortlist, conflicts of
/// interest, the assignment, scores, the reviewers' progress and the ranking. Every write is
/// checked here (with a clear message) and again by the schema (a closed round is frozen).
///
/// Scores come in through ``score(_:reviewer:values:comment:source:actor:now:)`` — from staff
/// today (`review score`), and later from the scoring sheets reviewers mail back (source
/// `.sheet`): one code path, one set of checks.
public struct ReviewDesk {
    public let store: TuibaoStore
    public let settings: ReviewSettings
    public let units: UnitRegistry
    let keys: MatchingKeys

    public init(store: TuibaoStore, configuration: GatewayConfiguration) throws {
        guard let settings = configuration.review else {
            throw ReviewError("配置文件中没有 [review] 段：请写明评审标准、每件评审人数和评审专家（见 Config/tuibao.toml）"
                              + " (no [review] section in the configuration: criteria, reviewers_per_deed, [[review.reviewer]])")
        }
        self.store = store
        self.settings = settings
        self.units = configuration.units
        self.keys = MatchingKeys(units: configuration.units)
    }

    // MARK: Rounds

    /// - Parameter criteria: this round's criteria and weights (`--criteria`), else the configuration's.
    public func open(name: String, criteria: [ReviewCriterion]? = nil, actor: String, now: Date) throws -> ReviewRoundRecord {
        let name = name.trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty else { throw ReviewError("请给评审轮次起个名字 (a round needs a name)") }
        let rounds = try store.reviewRounds()
        if let open = rounds.first(where: { !$0.isClosed }) {
            throw ReviewError("评审轮次「\(open.name)」尚未结束，请先 tuibao review close (round \(open.name) is still open)")
        }
        if rounds.contains(where: { $0.name == name }) {
            throw ReviewError("已有名为「\(name)」的评审轮次，请换一个名字 (a round of that name exists)")
        }
        return try store.openReviewRound(ReviewRoundRecord(name: name, criteria: criteria ?? settings.criteria,
                                                           reviewersPerDeed: settings.reviewersPerDeed, openedAt: now, openedBy: actor))
    }

    /// `事迹典型性=0.4,感染力=0.3,材料质量=0.3` (commas or 、 between, = or ：within): the
    /// criteria of one round, checked as the configuration's are.
    public static func criteria(from text: String) throws -> [ReviewCriterion] {
        var criteria: [ReviewCriterion] = []
        for item in text.split(whereSeparator: { ",，、;；".contains($0) }) {
            let parts = item.split(whereSeparator: { "=：:".contains($0) }).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, !parts[0].isEmpty, let weight = Double(parts[1]), weight.isFinite, weight > 0 else {
                throw ReviewError("评审标准应写成 名称=权重，以逗号分隔，如 事迹典型性=0.4,感染力=0.3,材料质量=0.3；权重须大于 0"
                                  + " (give NAME=WEIGHT,…): \(item.trimmingCharacters(in: .whitespaces))")
            }
            guard !criteria.contains(where: { $0.name == parts[0] }) else { throw ReviewError("评审标准「\(parts[0])」重复 (criterion named twice)") }
            criteria.append(ReviewCriterion(name: parts[0], weight: weight))
        }
        guard !criteria.isEmpty else { throw ReviewError("--criteria 不能为空 (name at least one criterion)") }
        return criteria
    }

    /// The round a reading command means: the one named, else the open one, else the latest.
    public func round(named name: String? = nil) throws -> ReviewRoundRecord {
        let rounds = try store.reviewRounds()
        if let name {
            guard let round = rounds.first(where: { $0.name == name }) else {
                throw ReviewError("没有名为「\(name)」的评审轮次 (no such round)；已有：\(rounds.map(\.name).joined(separator: "、"))")
            }
            return round
        }
        guard let round = rounds.first(where: { !$0.isClosed }) ?? rounds.last else {
            throw ReviewError("还没有评审轮次，请先 tuibao review open NAME (no review round yet)")
        }
        return round
    }

    /// The open round, for every write.
    public func openRound() throws -> ReviewRoundRecord {
        let round = try round()
        guard !round.isClosed else {
            throw ReviewError("评审轮次「\(round.name)」已结束，评分和分配已冻结 (the round is closed: scores and assignments are frozen)")
        }
        return round
    }

    public func state(_ round: ReviewRoundRecord) throws -> ReviewRoundState {
        guard let state = try store.reviewRoundState(roundId: round.id!) else { throw ReviewError("no review round \(round.name)") }
        return state
    }

    public func close(actor: String, now: Date) throws -> ReviewRoundRecord {
        let round = try openRound()
        return try store.closeReviewRound(roundId: round.id!, actor: actor, now: now)
    }

    // MARK: The shortlist

    /// Shortlists accepted deeds: all or none (each refused one named). Returns those newly
    /// added and those already on the list.
    public func add(_ identifiers: [String], actor: String, now: Date) throws -> (added: [SubmissionRecord], already: [SubmissionRecord]) {
        let round = try openRound()
        let state = try state(round)
        let found = try submissions(identifiers) { submission in
            submission.status == .accepted ? nil
                : "\(submission.trackingNumber) 的状态是「\(submission.status.label)」，只有已采纳的推报可以参评"
                + "（先 tuibao decide \(submission.trackingNumber) accepted --note …） (only accepted submissions can be shortlisted)"
        }
        let listed = Set(state.shortlist.map(\.submissionId))
        let added = found.filter { !listed.contains($0.id!) }
        try store.shortlist(roundId: round.id!, submissionIds: added.map { $0.id! }, roundName: round.name, actor: actor, now: now)
        return (added, found.filter { listed.contains($0.id!) })
    }

    public func remove(_ identifiers: [String], actor: String, now: Date) throws -> [SubmissionRecord] {
        let round = try openRound()
        let listed = Set(try state(round).shortlist.map(\.submissionId))
        let found = try submissions(identifiers) { listed.contains($0.id!) ? nil : Self.notListed($0, round) }
        try store.unlist(roundId: round.id!, submissionIds: found.map { $0.id! }, roundName: round.name, actor: actor, now: now)
        return found
    }

    /// The shortlisted deeds, by tracking number.
    public func deeds(_ state: ReviewRoundState) throws -> [ReviewDeed] {
        let ids = state.shortlist.map(\.submissionId)
        guard !ids.isEmpty else { return [] }
        return try store.listing(QueueFilter(ids: ids)).map(NominationList.nomination).map {
            ReviewDeed(id: $0.summary.id, trackingNumber: $0.summary.trackingNumber, unit: $0.unit,
                       nominee: $0.summary.nominee, category: $0.summary.category, title: $0.summary.title)
        }.sorted { $0.trackingNumber < $1.trackingNumber }
    }

    // MARK: Conflicts of interest

    public struct DeclaredConflict: Sendable {
        public var reviewer: Reviewer
        public var deed: SubmissionRecord?
        public var unit: String?
        /// Deeds this reviewer was assigned and no longer reviews.
        public var released: [String]
    }

    /// `reviewer` must not review `deed`, or any deed of `unit` (exactly one of them).
    public func declareConflict(reviewer identifier: String, deed: String?, unit: String?, reason: String,
                                actor: String, now: Date) throws -> DeclaredConflict {
        let round = try openRound()
        let reviewer = try requireReviewer(identifier)
        let reason = reason.trimmingCharacters(in: .whitespaces)
        guard !reason.isEmpty else { throw ReviewError("请用 --reason 写明回避的理由 (a conflict needs --reason)") }
        let state = try state(round)
        let deeds = try self.deeds(state)
        var submission: SubmissionRecord?
        var unitName: String?
        if let deed {
            guard let found = try store.submission(identifiedBy: deed) else { throw ReviewError("找不到推报 \(deed) (no such submission)") }
            submission = found
        } else if let unit {
            guard let registered = units.unit(named: unit) else {
                throw ReviewError("单位「\(unit)」不在单位名录中，请写名录中的名称或简称 (unit not in the units registry)")
            }
            unitName = registered.name
        }
        let unitKey = unitName.map(keys.unit)
        let released = deeds.filter { deed in
            guard state.assignments.contains(where: { $0.submissionId == deed.id && $0.reviewer == reviewer.address }) else { return false }
            if let submission { return deed.id == submission.id }
            return deed.unit.map(keys.unit) == unitKey
        }
        try store.declareReviewConflict(ReviewConflictRecord(roundId: round.id!, reviewer: reviewer.address, submissionId: submission?.id,
                                                             unitName: unitName, reason: reason, declaredAt: now, declaredBy: actor),
                                        reviewerName: reviewer.name, released: released.map(\.id))
        return DeclaredConflict(reviewer: reviewer, deed: submission, unit: unitName, released: released.map(\.trackingNumber))
    }

    // MARK: The assignment

    public struct AssignmentOutcome: Sendable {
        public var assigned: [(deed: ReviewDeed, reviewer: Reviewer)]
        public var shortfalls: [(deed: ReviewDeed, missing: Int)]
        /// Every reviewer's deeds in the round after this run, in the configuration's order.
        public var loads: [(reviewer: Reviewer, deeds: Int)]
    }

    /// The assigner for the round's current state (also what `assign` runs).
    func assigner(round: ReviewRoundRecord, state: ReviewRoundState, deeds: [ReviewDeed]) -> ReviewAssigner {
        var existing: [Int64: Set<String>] = [:]
        for assignment in state.assignments { existing[assignment.submissionId, default: []].insert(assignment.reviewer) }
        var deedConflicts = Set<ReviewAssigner.DeedConflict>()
        var unitConflicts = Set<ReviewAssigner.UnitConflict>()
        for conflict in state.conflicts {
            if let submissionId = conflict.submissionId {
                deedConflicts.insert(.init(deedId: submissionId, reviewer: conflict.reviewer))
            } else if let unit = conflict.unitName {
                unitConflicts.insert(.init(unitKey: keys.unit(unit), reviewer: conflict.reviewer))
            }
        }
        return ReviewAssigner(deeds: deeds.map { .init(id: $0.id, key: $0.trackingNumber, unitKey: $0.unit.map(keys.unit)) },
                              reviewers: settings.reviewers.map { .init(address: $0.address, unitKey: keys.unit($0.unit)) },
                              reviewersPerDeed: round.reviewersPerDeed, deedConflicts: deedConflicts, unitConflicts: unitConflicts,
                              existing: existing, seed: round.name)
    }

    /// Gives every shortlisted deed its k reviewers (filling only what is missing).
    public func assign(actor: String, now: Date) throws -> AssignmentOutcome {
        let round = try openRound()
        let state = try state(round)
        let deeds = try self.deeds(state)
        guard !deeds.isEmpty else { throw ReviewError("名单上还没有推报，请先 tuibao review add ID… (the shortlist is empty)") }
        let plan = assigner(round: round, state: state, deeds: deeds).plan()
        let byId = Dictionary(uniqueKeysWithValues: deeds.map { ($0.id, $0) })
        let assigned = plan.assignments.map { (deed: byId[$0.deedId]!, reviewer: settings.reviewer($0.reviewer)!) }
        try store.addReviewAssignments(roundId: round.id!, assigned.map { ($0.deed.id, $0.reviewer.address, $0.reviewer.name) },
                                       actor: actor, now: now)
        return AssignmentOutcome(assigned: assigned, shortfalls: plan.shortfalls.map { (byId[$0.deedId]!, $0.missing) },
                                 loads: settings.reviewers.map { ($0, plan.loads[$0.address] ?? 0) })
    }

    // MARK: Scores

    public struct ScoreOutcome: Sendable {
        public var deed: SubmissionRecord
        public var reviewer: Reviewer
        public var entry: ReviewEntry
        /// The values this entry replaced (criterion → earlier value).
        public var replaced: [String: Double]
        /// The reviewer's review of the deed now, all versions folded.
        public var current: CurrentReview
    }

    /// Files scores of one reviewer for one deed, as the next version. The one path for staff
    /// (`review score`) and, later, returned scoring sheets: round open, deed shortlisted,
    /// reviewer assigned to it, criteria known, each value within 1–10.
    public func score(_ deedIdentifier: String, reviewer identifier: String, values: [(criterion: String, value: Double)],
                      comment: String?, source: ScoreSource, actor: String, now: Date) throws -> ScoreOutcome {
        let round = try openRound()
        guard let deed = try store.submission(identifiedBy: deedIdentifier) else {
            throw ReviewError("找不到推报 \(deedIdentifier) (no such submission)")
        }
        let reviewer = try requireReviewer(identifier)
        let state = try state(round)
        guard state.shortlist.contains(where: { $0.submissionId == deed.id }) else {
            throw ReviewError(Self.notListed(deed, round))
        }
        guard state.assignments.contains(where: { $0.submissionId == deed.id && $0.reviewer == reviewer.address }) else {
            throw ReviewError("\(deed.trackingNumber) 没有分配给评审专家 \(reviewer.name)，不能录入其评分 (this reviewer is not assigned this deed)")
        }
        let comment = comment?.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !values.isEmpty || !(comment ?? "").isEmpty else {
            throw ReviewError("请至少给出一项评分（--criterion 名称=分数）或评语 (give a score or a comment)")
        }
        let names = round.criteria.map(\.name)
        var seen = Set<String>()
        for (criterion, value) in values {
            guard names.contains(criterion) else {
                throw ReviewError("没有「\(criterion)」这项评审标准；本轮的标准是：\(names.joined(separator: "、")) (unknown criterion)")
            }
            guard seen.insert(criterion).inserted else { throw ReviewError("「\(criterion)」给了两次 (criterion given twice)") }
            guard ReviewScale.contains(value) else {
                throw ReviewError("「\(criterion)」的分数 \(Self.number(value)) 超出范围，应在 \(Self.number(ReviewScale.lowest))–\(Self.number(ReviewScale.highest)) 之间"
                                  + " (scores run from 1 to 10)")
            }
        }
        let before = Self.currentReviews(state.entries)[Self.pairKey(deed.id!, reviewer.address)]
        var parts: [String] = values.map { "\($0.criterion) \(Self.number($0.value))" }
        if let comment, !comment.isEmpty { parts.append("评语：\(comment)") }
        let summary = "评审专家 \(reviewer.name)：\(parts.joined(separator: "，"))，\(source.label)"
        let entry = try store.recordReviewScores(roundId: round.id!, submissionId: deed.id!, reviewer: reviewer.address, values: values,
                                                 comment: comment?.isEmpty == true ? nil : comment, source: source,
                                                 actor: actor, now: now, summary: summary)
        var replaced: [String: Double] = [:]
        for (criterion, _) in values { if let earlier = before?.values[criterion] { replaced[criterion] = earlier } }
        let current = Self.currentReviews(state.entries + [entry])[Self.pairKey(deed.id!, reviewer.address)]!
        return ScoreOutcome(deed: deed, reviewer: reviewer, entry: entry, replaced: replaced, current: current)
    }

    /// Every (deed, reviewer)'s current review: entries folded oldest to newest, a later value
    /// of a criterion replacing the earlier one.
    public static func currentReviews(_ entries: [ReviewEntry]) -> [String: CurrentReview] {
        var reviews: [String: CurrentReview] = [:]
        for entry in entries.sorted(by: { ($0.entry.version, $0.entry.id ?? 0) < ($1.entry.version, $1.entry.id ?? 0) }) {
            let key = pairKey(entry.entry.submissionId, entry.entry.reviewer)
            var review = reviews[key] ?? CurrentReview(deedId: entry.entry.submissionId, reviewer: entry.entry.reviewer, values: [:], versions: 0)
            for score in entry.scores { review.values[score.criterion] = score.value }
            if let comment = entry.entry.comment { review.comment = comment }
            review.versions = max(review.versions, entry.entry.version)
            reviews[key] = review
        }
        return reviews
    }

    static func pairKey(_ deedId: Int64, _ reviewer: String) -> String { "\(deedId)|\(reviewer)" }

    // MARK: Progress and ranking

    public struct ReviewerProgress: Sendable {
        public var name: String
        public var address: String
        /// nil for an address no longer in the configuration.
        public var unit: String?
        public var assigned: [ReviewDeed]
        /// Complete reviews (every criterion scored).
        public var returned: [ReviewDeed]
        /// Assigned and not (completely) returned.
        public var missing: [ReviewDeed]
        /// When the latest scoring sheet was queued for them (`review send`).
        public var sheetSentAt: Date?
        /// When a scoring sheet of theirs last came back from their address, and whether it was refused.
        public var lastReturnedAt: Date?
        public var lastReturnRefused: Bool?
    }

    /// Per reviewer: what they were given, what came back, what is missing.
    public func status(_ round: ReviewRoundRecord) throws -> [ReviewerProgress] {
        let state = try state(round)
        let deeds = Dictionary(uniqueKeysWithValues: try self.deeds(state).map { ($0.id, $0) })
        let reviews = Self.currentReviews(state.entries)
        let sheets = try store.reviewSheets(roundId: round.id!), returns = try store.reviewReturns(roundId: round.id!)
        var addresses = settings.reviewers.map(\.address)
        for assignment in state.assignments where !addresses.contains(assignment.reviewer) { addresses.append(assignment.reviewer) }
        return addresses.map { address in
            let known = settings.reviewer(address)
            let assigned = state.assignments.filter { $0.reviewer == address }.compactMap { deeds[$0.submissionId] }
                .sorted { $0.trackingNumber < $1.trackingNumber }
            let returned = assigned.filter { reviews[Self.pairKey($0.id, address)]?.isComplete(round.criteria) == true }
            let lastReturn = returns.last { $0.reviewer == address && $0.sender == address }
            return ReviewerProgress(name: known?.name ?? address, address: address, unit: known?.unit, assigned: assigned,
                                    returned: returned, missing: assigned.filter { !returned.contains($0) },
                                    sheetSentAt: sheets.last { $0.reviewer == address }?.createdAt,
                                    lastReturnedAt: lastReturn?.receivedAt, lastReturnRefused: lastReturn.map { $0.outcome == .refused })
        }
    }

    public struct Ranking: Sendable {
        public var round: ReviewRoundRecord
        public var rows: [(row: ReviewRanking.Row, deed: ReviewDeed)]
        /// The current reviews behind the rows, by deed then reviewer address.
        public var reviews: [Int64: [String: CurrentReview]]
        public var disagreementSpread: Double
    }

    public func ranking(_ round: ReviewRoundRecord) throws -> Ranking {
        let state = try state(round)
        let deeds = try self.deeds(state)
        var assigned: [Int64: Set<String>] = [:]
        for assignment in state.assignments { assigned[assignment.submissionId, default: []].insert(assignment.reviewer) }
        let reviews = Array(Self.currentReviews(state.entries).values)
        let rows = ReviewRanking(criteria: round.criteria, disagreementSpread: settings.disagreementSpread)
            .rank(deeds: deeds.map { .init(id: $0.id, key: $0.trackingNumber) }, assigned: assigned, reviews: reviews)
        let byId = Dictionary(uniqueKeysWithValues: deeds.map { ($0.id, $0) })
        var byDeed: [Int64: [String: CurrentReview]] = [:]
        for review in reviews { byDeed[review.deedId, default: [:]][review.reviewer] = review }
        return Ranking(round: round, rows: rows.map { ($0, byId[$0.deed.id]!) }, reviews: byDeed,
                       disagreementSpread: settings.disagreementSpread)
    }

    // MARK: The year's best

    public struct Chosen: Sendable {
        public var deed: ReviewDeed
        public var rank: Int?
        /// False when the deed had been chosen in this round before.
        public var isNew: Bool
    }

    /// Chooses deeds of a closed round as the year's best — the top `top` of the ranking and/or
    /// the deeds named (from the shortlist) — and puts them on the website column, marked.
    /// All or none: every deed must be on the shortlist and publishable.
    public func choose(_ identifiers: [String], top: Int?, round name: String?, actor: String, now: Date) throws -> [Chosen] {
        let round = try round(named: name)
        guard round.isClosed else {
            throw ReviewError("评审轮次「\(round.name)」尚未结束：请先 tuibao review close，排名定下后再评选 (choose from a closed round)")
        }
        let ranking = try ranking(round)
        var picked: [(deed: ReviewDeed, rank: Int?)] = []
        if let top {
            guard top >= 1 else { throw ReviewError("--top 至少为 1 (at least 1)") }
            picked = ranking.rows.filter { $0.row.rank != nil }.prefix(top).map { ($0.deed, $0.row.rank) }
        }
        let named = try submissions(identifiers) { submission in
            ranking.rows.contains { $0.deed.id == submission.id } ? nil : Self.notListed(submission, round)
        }
        for submission in named where !picked.contains(where: { $0.deed.id == submission.id }) {
            let row = ranking.rows.first { $0.deed.id == submission.id }!
            picked.append((row.deed, row.row.rank))
        }
        guard !picked.isEmpty else { throw ReviewError("请写明受理编号或 --top N (name the deeds, or --top N)") }
        let unpublishable = try picked.filter { deed in
            guard let submission = try store.submission(identifiedBy: deed.deed.trackingNumber) else { return true }
            return !submission.status.isPublishable || submission.mergedIntoId != nil
        }
        guard unpublishable.isEmpty else {
            throw ReviewError(unpublishable.map { "\($0.deed.trackingNumber) 现在不是已受理或已采纳的状态，不能发布到专栏 (not publishable)" }
                .joined(separator: "\n"))
        }
        let added = try store.choose(picked.map { ReviewChoiceRecord(roundId: round.id!, submissionId: $0.deed.id, rank: $0.rank,
                                                                      chosenAt: now, chosenBy: actor) },
                                     roundName: round.name, actor: actor, now: now)
        let newIds = Set(added.map(\.submissionId))
        return picked.map { Chosen(deed: $0.deed, rank: $0.rank, isNew: newIds.contains($0.deed.id)) }
    }

    // MARK: Helpers

    /// The submissions named, all or none: one line for each identifier that names no
    /// submission or that `refusal` turns away, thrown together. A deed named twice counts once.
    func submissions(_ identifiers: [String], refusal: (SubmissionRecord) throws -> String?) throws -> [SubmissionRecord] {
        var problems: [String] = []
        var found: [SubmissionRecord] = []
        for identifier in identifiers {
            guard let submission = try store.submission(identifiedBy: identifier) else {
                problems.append("找不到推报 \(identifier) (no such submission)")
                continue
            }
            if let problem = try refusal(submission) {
                problems.append(problem)
            } else if !found.contains(where: { $0.id == submission.id }) {
                found.append(submission)
            }
        }
        guard problems.isEmpty else { throw ReviewError(problems.joined(separator: "\n")) }
        return found
    }

    static func notListed(_ submission: SubmissionRecord, _ round: ReviewRoundRecord) -> String {
        "\(submission.trackingNumber) 不在评审轮次「\(round.name)」的名单上 (not on the shortlist)"
    }

    public func requireReviewer(_ identifier: String) throws -> Reviewer {
        guard let reviewer = settings.reviewer(identifier) else {
            throw ReviewError("「\(identifier)」不是配置中的评审专家（[[review.reviewer]]）；评审专家：\(settings.reviewers.map(\.name).joined(separator: "、"))"
                              + " (not a configured reviewer)")
        }
        return reviewer
    }

    /// 8, 7.5, 6.25: as short as exact.
    public static func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }
}
