import Fingerprints
import Intake

/// Keys that make "the same unit" and "the same person" comparable.
///
/// A unit's key is the registry's canonical name when the name is registered (by name or alias,
/// see ``UnitRegistry/unit(named:)``), otherwise the name itself, folded by
/// ``TextNormalizer/normalizedName(_:)`` (width, case, traditional characters, punctuation and
/// spaces) and then by ``UnitRegistry/normalizedUnitName(_:)`` (without 「中国科学院」 or
/// 「中科院」, 「研究所」 as 「所」). So 「中国科学院物理研究所」, 「物理研究所」, 「物理所」 and
/// 「中科院物理所」 share a key, and so do 「中国科学院某某研究所」 and 「某某所」 of a unit the
/// registry does not know.
public struct MatchingKeys: Sendable {
    public let units: UnitRegistry

    public init(units: UnitRegistry) { self.units = units }

    public func unit(_ name: String) -> String {
        let folded = TextNormalizer.normalizedName(name)
        let canonical = units.unit(named: name) ?? units.unit(named: folded)
        return UnitRegistry.normalizedUnitName(canonical.map { TextNormalizer.normalizedName($0.name) } ?? folded)
    }

    public func name(_ text: String?) -> String? {
        guard let text else { return nil }
        let key = TextNormalizer.normalizedName(text)
        return key.isEmpty ? nil : key
    }
}
