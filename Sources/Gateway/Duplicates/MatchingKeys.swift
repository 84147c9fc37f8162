import Fingerprints
import Intake

/// Keys that make "the same unit" and "the same person" comparable: the registry's canonical
/// name for an alias, then letters and digits only (width, case, punctuation and spaces folded).
public struct MatchingKeys: Sendable {
    public let units: UnitRegistry

    public init(units: UnitRegistry) { self.units = units }

    public func unit(_ name: String) -> String {
        TextNormalizer.normalizedName(units.unit(named: name)?.name ?? name)
    }

    public func name(_ text: String?) -> String? {
        guard let text else { return nil }
        let key = TextNormalizer.normalizedName(text)
        return key.isEmpty ? nil : key
    }
}
