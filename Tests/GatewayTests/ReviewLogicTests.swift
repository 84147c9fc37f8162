import Foundation
import GRDB
import Intake
import Store
import TestSupport
import Testing
@testable import Gateway

/// The committee review's pure parts (assignment, standardisation, ranking), its configuration
/// and what the schema of v13-review guarantees by itself.
@Suite("Review logic")
struct ReviewLogicTests {
    static let criteria = [ReviewCriterion(name: "事迹典型性", weight: 0.4), ReviewCriterion(name: "感染力", weight: 0.3),
                           ReviewCriterion(name: "材料质量", weight: 0.3)]

    // MARK: Assignment

    /// Six deeds of six units, four reviewers; reviewer a is of deed 1's unit.
    static func sixDeeds(seed: String = "2018 年度") -> ReviewAssigner {
        let units = ["物理所", "药物所", "兰州分院", "天文台", "长春光机所", "光电所"]
        return ReviewAssigner(
            deeds: (1...6).map { .init(id: Int64($0), key: "YS2018-000\($0)", unitKey: units[$0 - 1]) },
            reviewers: [.init(address: "a@x.cn", unitKey: "物理所"), .init(address: "b@x.cn", unitKey: "院机关"),
                        .init(address: "c@x.cn", unitKey: "化物所"), .init(address: "d@x.cn", unitKey: "高能所")],
            reviewersPerDeed: 3, seed: seed)
    }

    static func byDeed(_ plan: ReviewAssigner.Plan) -> [Int64: Set<String>] {
        var result: [Int64: Set<String>] = [:]
        for (deed, reviewer) in plan.assignments { result[deed, default: []].insert(reviewer) }
        return result
    }

    @Test("6 deeds, 4 reviewers, k = 3: each deed 3 reviewers, never its own unit's, loads 4 or 5, reproducible")
    func sixDeedsFourReviewers() {
        let plan = Self.sixDeeds().plan()
        let byDeed = Self.byDeed(plan)
        #expect(plan.assignments.count == 18 && plan.shortfalls.isEmpty)
        #expect((1...6).allSatisfy { byDeed[Int64($0)]?.count == 3 })
        #expect(byDeed[1] == ["b@x.cn", "c@x.cn", "d@x.cn"])
        #expect(plan.loads.values.sorted() == [4, 4, 5, 5])
        #expect(Self.sixDeeds().plan() == plan)
        // Another seed may break ties otherwise, under the same rules.
        for seed in ["另一轮", "2019", "x"] {
            let other = Self.sixDeeds(seed: seed).plan()
            #expect(Self.byDeed(other)[1] == ["b@x.cn", "c@x.cn", "d@x.cn"])
            #expect(other.loads.values.sorted() == [4, 4, 5, 5])
        }
    }

    @Test("declared conflicts (a deed, a unit) are kept; k that cannot be met is a reported shortfall")
    func conflictsAndShortfalls() {
        var assigner = Self.sixDeeds()
        assigner.deedConflicts = [.init(deedId: 2, reviewer: "b@x.cn")]
        assigner.unitConflicts = [.init(unitKey: "天文台", reviewer: "c@x.cn")]
        let byDeed = Self.byDeed(assigner.plan())
        #expect(!(byDeed[2] ?? []).contains("b@x.cn") && !(byDeed[4] ?? []).contains("c@x.cn"))
        #expect(byDeed[2] == ["a@x.cn", "c@x.cn", "d@x.cn"] && byDeed[4] == ["a@x.cn", "b@x.cn", "d@x.cn"])
        // Deed 1 loses b too: only c and d remain.
        assigner.deedConflicts.insert(.init(deedId: 1, reviewer: "b@x.cn"))
        let plan = assigner.plan()
        #expect(Self.byDeed(plan)[1] == ["c@x.cn", "d@x.cn"])
        #expect(plan.shortfalls.map(\.deedId) == [1] && plan.shortfalls.map(\.missing) == [1])
    }

    @Test("existing assignments stay and count: a second run adds nothing, a new deed fills the lightest")
    func existingAssignments() {
        var assigner = Self.sixDeeds()
        let first = assigner.plan()
        assigner.existing = Self.byDeed(first)
        let again = assigner.plan()
        #expect(again.assignments.isEmpty && again.loads == first.loads)
        assigner.deeds.append(.init(id: 7, key: "YS2018-0007", unitKey: "心理所"))
        let seventh = assigner.plan()
        #expect(seventh.assignments.map(\.deedId) == [7, 7, 7])
        #expect(seventh.loads.values.sorted() == [5, 5, 5, 6])
    }

    @Test("loads stay within one of each other under many unit conflicts")
    func balancedUnderConflicts() {
        let units = ["u1", "u2", "u3", "u4", "u5"]
        let assigner = ReviewAssigner(
            deeds: (1...23).map { .init(id: Int64($0), key: String(format: "YS2018-%04d", $0), unitKey: units[$0 % 3]) },
            reviewers: units.map { .init(address: "\($0)@x.cn", unitKey: $0) } + [.init(address: "z@x.cn", unitKey: "u9")],
            reviewersPerDeed: 3, seed: "round")
        let plan = assigner.plan()
        #expect(plan.shortfalls.isEmpty && plan.assignments.count == 69)
        for (deed, reviewers) in Self.byDeed(plan) {
            let unit = units[Int(deed) % 3]
            #expect(!reviewers.contains("\(unit)@x.cn"))
        }
        let loads = plan.loads.values
        #expect(loads.max()! - loads.min()! <= 1, "\(plan.loads)")
    }

    // MARK: Ranking

    /// Reviewer → deed → (事迹典型性, 感染力, 材料质量). b is harsh; the lenient variant adds 3.
    static func reviews(lenientB: Bool = false) -> [CurrentReview] {
        let table: [(String, [(Int64, [Double])])] = [
            ("a", [(2, [6, 6, 6]), (3, [9, 9, 9]), (4, [5, 5, 5]), (6, [7, 7, 7])]),
            ("b", [(1, [5, 5, 5]), (3, [3, 3, 3]), (4, [2, 2, 2]), (5, [4, 4, 4])]),
            ("c", [(1, [9, 7, 7]), (2, [6, 6, 6]), (4, [4, 4, 4]), (5, [7, 7, 7]), (6, [8, 8, 8])]),
            ("d", [(1, [8, 8, 8]), (2, [5, 5, 5]), (3, [9, 9, 9]), (5, [6, 6, 6])]),
        ]
        return table.flatMap { reviewer, deeds in
            deeds.map { deed, values in
                let shifted = reviewer == "b" && lenientB ? values.map { $0 + 3 } : values
                return CurrentReview(deedId: deed, reviewer: reviewer,
                                     values: Dictionary(uniqueKeysWithValues: zip(criteria.map(\.name), shifted)))
            }
        }
    }

    /// Each deed excludes one reviewer; d was assigned deed 6 and has not returned it.
    static let assigned: [Int64: Set<String>] = [1: ["b", "c", "d"], 2: ["a", "c", "d"], 3: ["a", "b", "d"],
                                                 4: ["a", "b", "c"], 5: ["b", "c", "d"], 6: ["a", "c", "d"]]

    static func rank(lenientB: Bool = false) -> [ReviewRanking.Row] {
        ReviewRanking(criteria: criteria, disagreementSpread: 2.0)
            .rank(deeds: (1...6).map { .init(id: Int64($0), key: "YS2018-000\($0)") }, assigned: assigned, reviews: reviews(lenientB: lenientB))
    }

    @Test("weighted mean, z-scores per reviewer, spread and flags against a hand computation")
    func handComputation() throws {
        // c's review of deed 1: 0.4·9 + 0.3·7 + 0.3·7 = 7.8.
        #expect(abs(Self.reviews().first { $0.reviewer == "c" && $0.deedId == 1 }!.weighted(Self.criteria)! - 7.8) < 1e-12)
        // Reviewer means and population deviations: a 6.75 / 1.4790, b 3.5 / 1.1180, c 6.56 / 1.4610, d 7 / 1.5811.
        let scales = ReviewRanking(criteria: Self.criteria, disagreementSpread: 2).scales(Self.reviews(), assigned: Self.assigned)
        #expect(abs(scales["a"]!.mean - 6.75) < 1e-9 && abs(scales["a"]!.deviation - 1.479020) < 1e-6)
        #expect(abs(scales["c"]!.mean - 6.56) < 1e-9 && abs(scales["c"]!.deviation - 1.460959) < 1e-6)
        let rows = Self.rank()
        // Deed 1: z_b = (5 − 3.5)/1.1180 = 1.3416, z_c = (7.8 − 6.56)/1.4610 = 0.8488, z_d = (8 − 7)/1.5811 = 0.6325;
        // mean 0.9410; weighted mean (5 + 7.8 + 8)/3 = 6.9333; spread 1.3695.
        let expected: [(deed: Int64, z: Double, mean: Double, spread: Double, reviews: Int)] = [
            (1, 0.9410, 6.9333, 1.3695, 3), (3, 0.7797, 7.0000, 2.8284, 3), (6, 0.5773, 7.5000, 0.5000, 2),
            (5, 0.0386, 5.6667, 1.2472, 3), (2, -0.7184, 5.6667, 0.4714, 3), (4, -1.4257, 3.6667, 1.2472, 3),
        ]
        #expect(rows.map(\.deed.id) == expected.map(\.deed))
        #expect(rows.map(\.rank) == [1, 2, 3, 4, 5, 6])
        for (row, want) in zip(rows, expected) {
            #expect(abs(row.standardized! - want.z) < 5e-4, "deed \(want.deed) z")
            #expect(abs(row.weightedMean! - want.mean) < 5e-4, "deed \(want.deed) mean")
            #expect(abs(row.spread! - want.spread) < 5e-4, "deed \(want.deed) spread")
            #expect(row.reviews == want.reviews && row.assigned == 3)
        }
        // Flags: deed 6 misses d's review; deed 3 (9, 3, 9) has a spread of 2.83 ≥ 2.
        #expect(rows.filter(\.missingReviews).map(\.deed.id) == [6])
        #expect(rows.filter(\.disagreement).map(\.deed.id) == [3])
    }

    @Test("a lenient reviewer (+3 on everything) moves the weighted means, not the standardised ranking")
    func lenientReviewer() {
        let harsh = Self.rank(), lenient = Self.rank(lenientB: true)
        #expect(harsh.map(\.deed.id) == lenient.map(\.deed.id))
        for (a, b) in zip(harsh, lenient) { #expect(abs(a.standardized! - b.standardized!) < 1e-9) }
        // By weighted mean alone the lenient reviewer's deeds climb: 3 and 1 overtake 6.
        let byMean = { (rows: [ReviewRanking.Row]) in rows.sorted { $0.weightedMean! > $1.weightedMean! }.map(\.deed.id) }
        #expect(byMean(harsh).prefix(3) == [6, 3, 1])
        #expect(byMean(lenient).prefix(3) == [3, 1, 6])
        #expect(abs(lenient.first { $0.deed.id == 1 }!.weightedMean! - 7.9333) < 5e-4)
        // Less spread between b and the others once b is not harsh: deed 3 no longer disagrees.
        #expect(lenient.filter(\.disagreement).isEmpty)
    }

    @Test("incomplete reviews, unassigned reviewers and unreviewed deeds do not count; ties share a rank")
    func whatCounts() {
        let criteria = Self.criteria
        let full = { (deed: Int64, reviewer: String, value: Double) in
            CurrentReview(deedId: deed, reviewer: reviewer, values: Dictionary(uniqueKeysWithValues: criteria.map { ($0.name, value) }))
        }
        let reviews = [full(1, "a", 8), full(2, "a", 8), full(1, "x", 1),
                       CurrentReview(deedId: 2, reviewer: "b", values: ["感染力": 2])]
        let rows = ReviewRanking(criteria: criteria, disagreementSpread: 2)
            .rank(deeds: [.init(id: 1, key: "YS2018-0001"), .init(id: 2, key: "YS2018-0002"), .init(id: 3, key: "YS2018-0003")],
                  assigned: [1: ["a"], 2: ["a", "b"], 3: ["a"]], reviews: reviews)
        #expect(rows.map(\.rank) == [1, 1, nil])
        #expect(rows[0].weightedMean == 8 && rows[0].standardized == 0 && rows[0].reviews == 1)
        #expect(rows[1].reviews == 1 && rows[1].missingReviews && rows[2].weightedMean == nil && rows[2].missingReviews)
    }

    // MARK: Configuration

    static let reviewers = """
        [[review.reviewer]]
        name = "甲"
        address = "Jia@CASHQ.ac.cn"
        unit = "院机关"

        [[review.reviewer]]
        name = "乙"
        address = "yi@iphy.ac.cn"
        unit = "物理所"
        """

    func load(_ review: String) throws -> GatewayConfiguration {
        let workspace = try TestWorkspace(extra: review)
        defer { workspace.remove() }
        return try GatewayConfiguration.load(from: workspace.configFile)
    }

    func error(_ review: String) -> String {
        do {
            _ = try load(review)
            return "no error"
        } catch {
            return "\(error)"
        }
    }

    @Test("[review]: criteria, k, reviewers with registered units; the sample configuration has one")
    func configuration() throws {
        let settings = try #require(try load("[review]\ncriteria = [{ name = \"感染力\", weight = 2 }, { name = \"材料质量\", weight = 0.5 }]\n"
                                             + "reviewers_per_deed = 2\n" + Self.reviewers).review)
        #expect(settings.criteria == [ReviewCriterion(name: "感染力", weight: 2), ReviewCriterion(name: "材料质量", weight: 0.5)])
        #expect(settings.reviewersPerDeed == 2 && settings.disagreementSpread == 2)
        #expect(settings.reviewers == [Reviewer(name: "甲", address: "jia@cashq.ac.cn", unit: "中国科学院机关"),
                                       Reviewer(name: "乙", address: "yi@iphy.ac.cn", unit: "中国科学院物理研究所")])
        #expect(settings.reviewer("JIA@cashq.ac.cn")?.name == "甲" && settings.reviewer("乙")?.address == "yi@iphy.ac.cn")
        #expect(try load("").review == nil)
        let sample = try GatewayConfiguration.load(from: TestWorkspace.repositoryRoot.appendingPathComponent("Config/tuibao.toml"))
        #expect(sample.review?.criteria.map(\.name) == ["事迹典型性", "感染力", "材料质量"])
        #expect(sample.review?.reviewersPerDeed == 3 && sample.review?.reviewers.count == 4)
    }

    @Test("[review] mistakes are named in Chinese with the English gist")
    func configurationErrors() {
        let criteria = "criteria = [{ name = \"感染力\", weight = 0.5 }]\n"
        #expect(error("[review]\ncriteria = [{ name = \"感染力\", weight = 0 }]\n" + Self.reviewers)
            == "[review] 评审标准「感染力」的权重必须大于 0 (weights must be positive): 0.0")
        #expect(error("[review]\ncriteria = []\n" + Self.reviewers).hasPrefix("[review] criteria 不能为空"))
        #expect(error("[review]\n" + criteria + "reviewers_per_deed = 3\n" + Self.reviewers)
            == "[review] reviewers_per_deed = 3，但只配置了 2 位评审专家（[[review.reviewer]]） (k must not exceed the number of reviewers)")
        #expect(error("[review]\n" + criteria + "reviewers_per_deed = 1\n" + Self.reviewers.replacingOccurrences(of: "yi@iphy.ac.cn", with: "yi at iphy"))
            == "[[review.reviewer]] 第 2 位（乙）：邮箱地址无效 (not a valid address): yi at iphy")
        #expect(error("[review]\n" + criteria + "reviewers_per_deed = 1\n" + Self.reviewers.replacingOccurrences(of: "物理所", with: "不存在研究所"))
            == "[[review.reviewer]] 第 2 位（乙）：单位「不存在研究所」不在单位名录中，请写名录中的名称或简称 (unit not in the units registry)")
        #expect(error("[review]\n" + criteria + "reviewers_per_deed = 1\n" + Self.reviewers.replacingOccurrences(of: "yi@iphy.ac.cn", with: "jia@cashq.ac.cn"))
            == "[[review.reviewer]] 第 2 位（乙）：邮箱 jia@cashq.ac.cn 重复 (two reviewers share an address)")
    }

    // MARK: The schema

    @Test("v13-review: one open round, a closed round frozen, scores append-only")
    func schemaGuarantees() throws {
        let workspace = try TestWorkspace()
        defer { workspace.remove() }
        let store = try workspace.pipeline().store
        let now = Date(timeIntervalSince1970: 1_526_261_460)
        let round = try store.openReviewRound(ReviewRoundRecord(name: "第一轮", criteria: Self.criteria, reviewersPerDeed: 3, openedAt: now, openedBy: "liuyi"))
        #expect(throws: DatabaseError.self) {
            _ = try store.openReviewRound(ReviewRoundRecord(name: "第二轮", criteria: Self.criteria, reviewersPerDeed: 3, openedAt: now, openedBy: "liuyi"))
        }
        try store.database.write { db in
            try db.execute(sql: """
                INSERT INTO campaign (id, name, trackingPrefix) VALUES ('c', 'c', 'YS');
                INSERT INTO submission (id, campaignId, sequence, trackingNumber, senderAddress, status, createdAt, updatedAt)
                    VALUES (1, 'c', 1, 'YS-0001', 'a@iphy.ac.cn', 'accepted', '2018-05-14 00:00:00', '2018-05-14 00:00:00');
                """)
        }
        try store.shortlist(roundId: round.id!, submissionIds: [1], roundName: round.name, actor: "liuyi", now: now)
        try store.addReviewAssignments(roundId: round.id!, [(1, "a@x.cn", "甲")], actor: "liuyi", now: now)
        let entry = try store.recordReviewScores(roundId: round.id!, submissionId: 1, reviewer: "a@x.cn", values: [("感染力", 8)],
                                                 comment: nil, source: .staff, actor: "liuyi", now: now, summary: "甲")
        #expect(entry.entry.version == 1)
        #expect(throws: DatabaseError.self) { try store.database.write { db in try db.execute(sql: "UPDATE review_score SET value = 9") } }
        #expect(throws: DatabaseError.self) { try store.database.write { db in try db.execute(sql: "DELETE FROM review_entry") } }
        #expect(throws: DatabaseError.self) {
            _ = try store.recordReviewScores(roundId: round.id!, submissionId: 1, reviewer: "a@x.cn", values: [("感染力", 11)],
                                             comment: nil, source: .staff, actor: "liuyi", now: now, summary: "甲")
        }
        _ = try store.closeReviewRound(roundId: round.id!, actor: "liuyi", now: now)
        #expect(throws: DatabaseError.self) {
            _ = try store.recordReviewScores(roundId: round.id!, submissionId: 1, reviewer: "a@x.cn", values: [("感染力", 9)],
                                             comment: nil, source: .staff, actor: "liuyi", now: now, summary: "甲")
        }
        #expect(throws: DatabaseError.self) { try store.database.write { db in try db.execute(sql: "DELETE FROM review_assignment") } }
        #expect(throws: DatabaseError.self) { try store.database.write { db in try db.execute(sql: "UPDATE review_round SET closedAt = NULL, closedBy = NULL") } }
        #expect(throws: DatabaseError.self) {
            try store.database.write { db in try db.execute(sql: "INSERT INTO review_score (entryId, criterion, value) VALUES (\(entry.entry.id!), '材料质量', 5)") }
        }
        let state = try #require(try store.reviewRoundState(roundId: round.id!))
        #expect(state.entries.count == 1 && state.assignments.count == 1 && state.round.isClosed)
        // A new round may open once the first is closed.
        _ = try store.openReviewRound(ReviewRoundRecord(name: "第二轮", criteria: Self.criteria, reviewersPerDeed: 3, openedAt: now, openedBy: "liuyi"))
    }
}
