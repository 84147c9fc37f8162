import Foundation
import Intake
import MaterialChecks
import Materials
import Store

/// One nomination as the office's list (`tuibao export`) shows it: the queue row, who to call
/// about it (from its form), its open problems and the staff's notes.
public struct ListedNomination: Sendable {
    public var summary: SubmissionSummary
    /// The registered unit of the sender; for a sender the registry does not know, the unit the
    /// form names.
    public var unit: String?
    /// 联系人, 联系电话, 电子邮箱 as the current form gives them.
    public var contact: String?
    public var phone: String?
    public var email: String?
    public var problems: [SubmissionListing.Problem]
    public var notes: [SubmissionListing.Note]
}

/// Selects and assembles the list: status and date in the store's query, the unit here, where
/// the registry's aliases are known.
public struct NominationList {
    public struct Filter: Sendable {
        public var status: SubmissionStatus?
        /// Part of the unit's name, or a name or alias the registry resolves (「物理所」).
        public var unit: String?
        /// Received on or after.
        public var since: Date?

        public init(status: SubmissionStatus? = nil, unit: String? = nil, since: Date? = nil) {
            self.status = status
            self.unit = unit
            self.since = since
        }
    }

    let store: TuibaoStore
    let units: UnitRegistry

    public init(store: TuibaoStore, units: UnitRegistry) {
        self.store = store
        self.units = units
    }

    public func nominations(_ filter: Filter = Filter()) throws -> [ListedNomination] {
        let listings = try store.listing(QueueFilter(status: filter.status, since: filter.since))
        let rows = listings.map(Self.nomination)
        guard let wanted = filter.unit?.trimmingCharacters(in: .whitespaces), !wanted.isEmpty else { return rows }
        let keys = MatchingKeys(units: units)
        let registered = units.unit(named: wanted).map { keys.unit($0.name) }
        return rows.filter { row in
            guard let unit = row.unit else { return false }
            return unit.localizedCaseInsensitiveContains(wanted) || registered == keys.unit(unit)
        }
    }

    static func nomination(_ listing: SubmissionListing) -> ListedNomination {
        let form = Self.form(in: listing.formFacts, nominee: listing.summary.nominee)
        return ListedNomination(summary: listing.summary, unit: listing.summary.unitName ?? form?.unit,
                                contact: form?.contact, phone: form?.phone, email: form?.email,
                                problems: listing.problems, notes: listing.notes)
    }

    /// The form among the files' facts: the one naming the submission's nominee (an archive may
    /// hold several forms), else the first.
    static func form(in facts: [String], nominee: String?) -> NominationForm? {
        let forms = facts.compactMap(MaterialFacts.init(json:)).flatMap(\.flattened).compactMap(\.form)
        return forms.first { nominee != nil && $0.nominee == nominee } ?? forms.first
    }
}
