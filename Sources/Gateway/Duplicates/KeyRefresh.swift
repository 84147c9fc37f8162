import Foundation
import Intake
import MaterialChecks
import Store

/// Matching keys are derived data: they depend on the units registry (an alias added today makes
/// two names one unit) and on how names are folded. When either changes, every stored key is
/// made again, so a submission filed last month and an earlier campaign's list compare by
/// today's rules. The store keeps a stamp of what its keys were made with.
struct KeyRefresh {
    /// Raise when `MatchingKeys` folds differently, so stores made before recompute their keys.
    static let keysVersion = "2"
    static let settingKey = "matching-keys"

    let units: UnitRegistry

    /// What the keys depend on: the folding version and every unit's name and aliases.
    var stamp: String {
        let registry = units.units.map { ([$0.name] + $0.aliases.sorted()).joined(separator: "\u{1F}") }.sorted()
        return Hex.sha256(Data(([Self.keysVersion] + registry).joined(separator: "\u{1E}").utf8))
    }

    /// Recomputes every key when the stamp changed; a no-op otherwise. Returns how many rows were visited.
    @discardableResult
    func refreshIfNeeded(_ store: StoreWriter) throws -> Int {
        let stamp = stamp
        guard try store.reader.setting(Self.settingKey) != stamp else { return 0 }
        let keys = MatchingKeys(units: units)
        var visited = 0
        for record in try store.reader.allEarlierRecords() {
            try store.updateKeys(earlierRecordId: record.id!, nomineeKey: keys.name(record.nominee), unitKey: keys.unit(record.unit))
            visited += 1
        }
        for submission in try store.reader.allSubmissions() {
            // The unit as the form says it (what the key was made from), else as registered.
            let unit = try formUnit(of: submission, store.reader) ?? submission.unitName
            try store.updateKeys(submissionId: submission.id!, nomineeKey: keys.name(submission.nominee), unitKey: unit.map(keys.unit))
            visited += 1
        }
        try store.setSetting(Self.settingKey, to: stamp)
        return visited
    }

    /// The unit written in the submission's current form, from the facts cache.
    private func formUnit(of submission: SubmissionRecord, _ store: StoreReader) throws -> String? {
        guard let version = try store.latestVersion(ofSubmission: submission.id!) else { return nil }
        for file in try store.files(ofVersion: version.id!) where file.role == .form && file.removedAt == nil {
            for json in try store.cachedFacts(sha256: file.sha256) {
                if let unit = MaterialFacts(json: json)?.flattened.compactMap(\.form?.unit).first { return unit }
            }
        }
        return nil
    }
}
