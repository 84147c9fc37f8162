import Foundation

/// A unit that may nominate (分院, 研究所, 机关党支部 …) and how to recognise its mail.
public struct RegisteredUnit: Sendable, Hashable, Codable {
    public var name: String
    public var aliases: [String]
    /// Mail domains of the unit (`iphy.ac.cn`); subdomains match too.
    public var domains: [String]
    /// Individual addresses registered for the unit.
    public var addresses: [String]

    public init(name: String, aliases: [String] = [], domains: [String] = [], addresses: [String] = []) {
        self.name = name
        self.aliases = aliases
        self.domains = domains
        self.addresses = addresses
    }
}

/// The registry of units (`Config/units.toml`): who a sender is, and who has not sent yet.
public struct UnitRegistry: Sendable, Hashable {
    public var units: [RegisteredUnit] {
        didSet { names = LazyNameIndex() }
    }

    /// Names and aliases by their folded and by their normalised form, built on the first lookup
    /// by name (most commands only ever look up addresses).
    private var names = LazyNameIndex()

    public init(units: [RegisteredUnit]) {
        self.units = units
    }

    public static func == (lhs: UnitRegistry, rhs: UnitRegistry) -> Bool { lhs.units == rhs.units }
    public func hash(into hasher: inout Hasher) { hasher.combine(units) }

    /// The unit a sender address belongs to: a registered address first, then the longest
    /// matching domain (so `ucas.ac.cn` and `mails.ucas.ac.cn` can be different units).
    public func unit(forAddress address: String) -> RegisteredUnit? {
        let lower = address.lowercased()
        if let exact = units.first(where: { $0.addresses.contains { $0.lowercased() == lower } }) { return exact }
        guard let at = lower.lastIndex(of: "@") else { return nil }
        let domain = String(lower[lower.index(after: at)...])
        var best: (unit: RegisteredUnit, length: Int)?
        for unit in units {
            for candidate in unit.domains.map({ $0.lowercased() })
            where domain == candidate || domain.hasSuffix("." + candidate) {
                if candidate.count > (best?.length ?? 0) { best = (unit, candidate.count) }
            }
        }
        return best?.unit
    }

    /// The unit a name refers to (its name or one of its aliases).
    ///
    /// A name or alias written as registered (white space and case aside) decides first, so the
    /// registry's own mapping stands even where a normalised form would be ambiguous. Otherwise
    /// the names are compared by ``normalizedUnitName(_:)`` — with or without 「中国科学院」 or
    /// 「中科院」, full-width or half-width, 「研究所」 or 「所」: 「中科院物理所」, 「物理研究所」
    /// and 「中国科学院物理研究所」 are the same unit. A normalised form that two units share
    /// names neither (nil).
    public func unit(named name: String) -> RegisteredUnit? {
        let index = names.index(for: units)
        if let position = index.folded[Self.fold(name)] { return units[position] }
        let key = Self.normalizedUnitName(name)
        guard !key.isEmpty, let position = index.normalized[key] ?? nil else { return nil }
        return units[position]
    }

    /// A unit's name reduced to what tells units apart, for comparison only (never shown):
    ///
    /// 1. Unicode NFKC and lowercase: full-width letters, digits and brackets fold to half-width
    ///    (`ＩＣＴ` → `ict`);
    /// 2. only letters and digits are kept (white space, brackets and punctuation go);
    /// 3. a leading 「中国科学院」 (also 「中國科學院」) or 「中科院」 is removed, unless nothing
    ///    would remain;
    /// 4. a trailing 「研究所」 becomes 「所」.
    ///
    /// So 「中国科学院物理研究所」, 「物理研究所」, 「物理所」, 「中科院物理所」 and 「中国科学院　物理所」
    /// all give 「物理所」; a name not in the registry is normalised the same way
    /// (「中国科学院某某研究所」 → 「某某所」). Different names stay different: 「化学所」,
    /// 「大连化学物理所」 and 「化物所」 are three keys (aliases join them to their units).
    public static func normalizedUnitName(_ name: String) -> String {
        // NFKC leaves ASCII and the CJK unified ideographs as they are: most names skip it.
        let plain = name.unicodeScalars.allSatisfy { $0.isASCII || (0x4E00...0x9FFF).contains($0.value) }
        let folded = (plain ? name : name.precomposedStringWithCompatibilityMapping).lowercased()
        var scalars = String.UnicodeScalarView()
        for scalar in folded.unicodeScalars where isLetterOrDigit(scalar) { scalars.append(scalar) }
        var key = String(scalars)
        for prefix in academyPrefixes where key.hasPrefix(prefix) && key.count > prefix.count {
            key.removeFirst(prefix.count)
            break
        }
        if key.hasSuffix(instituteSuffix), key.count > instituteSuffix.count {
            key.removeLast(instituteSuffix.count)
            key += "所"
        }
        return key
    }

    /// Prefixes that name the Academy itself, longest first.
    static let academyPrefixes = ["中国科学院", "中國科學院", "中科院"]
    static let instituteSuffix = "研究所"

    static func fold(_ text: String) -> String {
        text.filter { !$0.isWhitespace }.lowercased()
    }

    static func isLetterOrDigit(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
             .decimalNumber, .letterNumber, .otherNumber:
            return true
        default:
            return false
        }
    }

    /// The name index, built once per set of units; copies of a registry share it.
    private final class LazyNameIndex: @unchecked Sendable {
        private let lock = NSLock()
        private var built: NameIndex?

        func index(for units: [RegisteredUnit]) -> NameIndex {
            lock.lock()
            defer { lock.unlock() }
            if let built { return built }
            let index = NameIndex(units)
            built = index
            return index
        }
    }

    /// Positions of units by name and alias: as written (white space and case folded; the first
    /// unit wins) and normalised (nil where two units share the normalised form).
    private struct NameIndex: Sendable {
        var folded: [String: Int] = [:]
        var normalized: [String: Int?] = [:]

        init(_ units: [RegisteredUnit]) {
            for (position, unit) in units.enumerated() {
                for name in [unit.name] + unit.aliases {
                    let key = UnitRegistry.fold(name)
                    if folded[key] == nil { folded[key] = position }
                    let normal = UnitRegistry.normalizedUnitName(name)
                    guard !normal.isEmpty else { continue }
                    switch normalized[normal] {
                    case nil: normalized[normal] = .some(position)
                    case .some(let other) where other != position: normalized[normal] = .some(nil)
                    default: break
                    }
                }
            }
        }
    }
}
