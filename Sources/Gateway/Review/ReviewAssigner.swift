import Foundation

/// Who reviews which deed: each deed to k reviewers, loads balanced, never a reviewer from the
/// deed's own unit nor one with a declared conflict, and reproducible — the same input gives the
/// same assignment on any machine (no `Hasher`, whose seed changes per process; no randomness).
///
/// The rule:
/// 1. a reviewer may take a deed unless they are of the deed's unit, declared a conflict with
///    the deed or with its unit, or already review it;
/// 2. assignments already made stay (a reviewer may have started reading); only missing places
///    are filled, counting the loads reviewers already carry;
/// 3. deeds are filled most constrained first (fewest eligible reviewers beyond what they need),
///    each place going to the eligible reviewer with the smallest load so far;
/// 4. ties (between deeds, between reviewers) are broken by a 64-bit FNV-1a hash of the round's
///    name, the tracking number and the reviewer's address — a fixed, seeded order, not the
///    configuration's order, so no reviewer is always first;
/// 5. then, while some reviewer carries two or more deeds more than another who could take one
///    of those deeds, that deed moves (only assignments made in this run move).
/// A deed that cannot get k reviewers keeps those it can get, and the shortfall is reported.
public struct ReviewAssigner: Sendable {
    public struct Deed: Sendable, Hashable {
        public var id: Int64
        /// The tracking number: the deed's stable name for ordering and tie-breaking.
        public var key: String
        /// The deed's unit as a matching key (`MatchingKeys.unit`); nil when unknown.
        public var unitKey: String?

        public init(id: Int64, key: String, unitKey: String?) {
            self.id = id
            self.key = key
            self.unitKey = unitKey
        }
    }

    public struct Candidate: Sendable, Hashable {
        public var address: String
        public var unitKey: String

        public init(address: String, unitKey: String) {
            self.address = address
            self.unitKey = unitKey
        }
    }

    public struct Plan: Sendable, Equatable {
        /// New assignments, by deed in tracking-number order, reviewers in the order chosen.
        public var assignments: [(deedId: Int64, reviewer: String)]
        /// Deeds left with fewer than k reviewers: how many places are missing.
        public var shortfalls: [(deedId: Int64, missing: Int)]
        /// Every reviewer's load in the round after the plan (existing and new).
        public var loads: [String: Int]

        public static func == (lhs: Plan, rhs: Plan) -> Bool {
            lhs.assignments.map { "\($0.deedId)|\($0.reviewer)" } == rhs.assignments.map { "\($0.deedId)|\($0.reviewer)" }
                && lhs.shortfalls.map { "\($0.deedId)|\($0.missing)" } == rhs.shortfalls.map { "\($0.deedId)|\($0.missing)" }
                && lhs.loads == rhs.loads
        }
    }

    public var deeds: [Deed]
    public var reviewers: [Candidate]
    public var reviewersPerDeed: Int
    /// Declared conflicts: (deed, reviewer) pairs and (unit key, reviewer) pairs.
    public var deedConflicts: Set<DeedConflict>
    public var unitConflicts: Set<UnitConflict>
    /// Assignments already made: deed → reviewers.
    public var existing: [Int64: Set<String>]
    /// The tie-breaking seed (the round's name).
    public var seed: String

    public struct DeedConflict: Sendable, Hashable {
        public var deedId: Int64
        public var reviewer: String
        public init(deedId: Int64, reviewer: String) {
            self.deedId = deedId
            self.reviewer = reviewer
        }
    }

    public struct UnitConflict: Sendable, Hashable {
        public var unitKey: String
        public var reviewer: String
        public init(unitKey: String, reviewer: String) {
            self.unitKey = unitKey
            self.reviewer = reviewer
        }
    }

    public init(deeds: [Deed], reviewers: [Candidate], reviewersPerDeed: Int, deedConflicts: Set<DeedConflict> = [],
                unitConflicts: Set<UnitConflict> = [], existing: [Int64: Set<String>] = [:], seed: String) {
        self.deeds = deeds
        self.reviewers = reviewers
        self.reviewersPerDeed = reviewersPerDeed
        self.deedConflicts = deedConflicts
        self.unitConflicts = unitConflicts
        self.existing = existing
        self.seed = seed
    }

    /// May this reviewer review this deed at all (rule 1, ignoring existing assignments)?
    public func mayReview(_ reviewer: Candidate, _ deed: Deed) -> Bool {
        if let unit = deed.unitKey {
            if unit == reviewer.unitKey { return false }
            if unitConflicts.contains(UnitConflict(unitKey: unit, reviewer: reviewer.address)) { return false }
        }
        return !deedConflicts.contains(DeedConflict(deedId: deed.id, reviewer: reviewer.address))
    }

    public func plan() -> Plan {
        let deeds = self.deeds.sorted { $0.key < $1.key }
        var loads: [String: Int] = Dictionary(uniqueKeysWithValues: reviewers.map { ($0.address, 0) })
        for (_, assigned) in existing {
            for reviewer in assigned { loads[reviewer, default: 0] += 1 }
        }
        var chosen: [Int64: [String]] = [:]
        var shortfalls: [Int64: Int] = [:]
        let candidates: [Int64: [Candidate]] = Dictionary(uniqueKeysWithValues: deeds.map { deed in
            (deed.id, reviewers.filter { mayReview($0, deed) && !(existing[deed.id]?.contains($0.address) ?? false) })
        })
        func needed(_ deed: Deed) -> Int { max(0, reviewersPerDeed - (existing[deed.id]?.count ?? 0)) }
        // Most constrained first; ties in the seeded order.
        let order = deeds.sorted {
            let slack = (candidates[$0.id]!.count - needed($0), candidates[$1.id]!.count - needed($1))
            if slack.0 != slack.1 { return slack.0 < slack.1 }
            let hashes = (Self.hash(seed, $0.key), Self.hash(seed, $1.key))
            return hashes.0 != hashes.1 ? hashes.0 < hashes.1 : $0.key < $1.key
        }
        for deed in order {
            let wanted = needed(deed)
            guard wanted > 0 else { continue }
            let ranked = candidates[deed.id]!.sorted { a, b in
                let (la, lb) = (loads[a.address] ?? 0, loads[b.address] ?? 0)
                if la != lb { return la < lb }
                return tieBreak(deed, a.address, b.address)
            }
            let picked = ranked.prefix(wanted).map(\.address)
            for reviewer in picked { loads[reviewer, default: 0] += 1 }
            chosen[deed.id] = picked
            if picked.count < wanted { shortfalls[deed.id] = wanted - picked.count }
        }
        rebalance(deeds: deeds, chosen: &chosen, loads: &loads)
        var assignments: [(deedId: Int64, reviewer: String)] = []
        for deed in deeds {
            for reviewer in (chosen[deed.id] ?? []).sorted() { assignments.append((deed.id, reviewer)) }
        }
        return Plan(assignments: assignments,
                    shortfalls: deeds.compactMap { deed in shortfalls[deed.id].map { (deed.id, $0) } },
                    loads: loads)
    }

    /// Rule 5: move a new assignment from a reviewer carrying ≥ 2 more than another who may take it.
    private func rebalance(deeds: [Deed], chosen: inout [Int64: [String]], loads: inout [String: Int]) {
        let byAddress = Dictionary(uniqueKeysWithValues: reviewers.map { ($0.address, $0) })
        // Each move lowers Σ load², so this ends; the bound is a guard only.
        for _ in 0..<(deeds.count * max(reviewersPerDeed, 1) * max(reviewers.count, 1) + 1) {
            var moved = false
            search: for deed in deeds {
                for from in (chosen[deed.id] ?? []).sorted() {
                    let fromLoad = loads[from] ?? 0
                    let takers = reviewers.filter { candidate in
                        (loads[candidate.address] ?? 0) <= fromLoad - 2 && mayReview(candidate, deed)
                            && !(chosen[deed.id] ?? []).contains(candidate.address)
                            && !(existing[deed.id]?.contains(candidate.address) ?? false)
                    }.sorted { a, b in
                        let (la, lb) = (loads[a.address] ?? 0, loads[b.address] ?? 0)
                        return la != lb ? la < lb : tieBreak(deed, a.address, b.address)
                    }
                    guard let to = takers.first, byAddress[to.address] != nil else { continue }
                    chosen[deed.id] = (chosen[deed.id] ?? []).map { $0 == from ? to.address : $0 }
                    loads[from, default: 0] -= 1
                    loads[to.address, default: 0] += 1
                    moved = true
                    break search
                }
            }
            if !moved { return }
        }
    }

    private func tieBreak(_ deed: Deed, _ a: String, _ b: String) -> Bool {
        let (ha, hb) = (Self.hash(seed, deed.key, a), Self.hash(seed, deed.key, b))
        return ha != hb ? ha < hb : a < b
    }

    /// 64-bit FNV-1a over the parts joined by U+001F: stable across runs and machines.
    static func hash(_ parts: String...) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in parts.joined(separator: "\u{1F}").utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01B3
        }
        return hash
    }
}
