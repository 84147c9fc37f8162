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
    public var units: [RegisteredUnit]

    public init(units: [RegisteredUnit]) { self.units = units }

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

    /// The unit a name refers to (its name or one of its aliases), ignoring white space.
    public func unit(named name: String) -> RegisteredUnit? {
        let key = Self.fold(name)
        return units.first { Self.fold($0.name) == key || $0.aliases.contains { Self.fold($0) == key } }
    }

    static func fold(_ text: String) -> String {
        text.filter { !$0.isWhitespace }.lowercased()
    }
}
