import Foundation
import Intake
import Testing
import TOMLKit

/// The shipped registry, `Config/units.toml`, read as the service reads it (names, aliases,
/// domains, addresses; missing keys are empty).
enum ShippedRegistry {
    struct RawUnits: Decodable { var unit: [RawUnit] }
    struct RawUnit: Decodable {
        var name: String
        var aliases: [String]?
        var domains: [String]?
        var addresses: [String]?
    }

    static let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Config/units.toml")

    static func load() throws -> UnitRegistry {
        let raw = try TOMLDecoder().decode(RawUnits.self, from: String(contentsOf: file, encoding: .utf8))
        return UnitRegistry(units: raw.unit.map {
            RegisteredUnit(name: $0.name, aliases: $0.aliases ?? [], domains: $0.domains ?? [], addresses: $0.addresses ?? [])
        })
    }

    /// Departments of the headquarters: they write from cashq.ac.cn, the domain of 「中国科学院机关」,
    /// and are listed by name only.
    static func isHeadquartersDepartment(_ unit: RegisteredUnit) -> Bool {
        unit.name.hasPrefix("中国科学院") && ["厅", "局", "党委"].contains { unit.name.hasSuffix($0) }
    }
}

@Suite("Units registry file (Config/units.toml)")
struct UnitRegistryFileTests {
    let registry: UnitRegistry

    init() throws { registry = try ShippedRegistry.load() }

    @Test("at least 100 units; every unit has a mail domain, except the headquarters' departments (cashq.ac.cn is the 院机关's)")
    func completeness() {
        #expect(registry.units.count >= 100)
        let institutes = registry.units.filter { ["研究所", "研究院", "中心", "天文台", "植物园"].contains(where: $0.name.hasSuffix) }
        #expect(institutes.count >= 100)
        for unit in registry.units where unit.domains.isEmpty && unit.addresses.isEmpty {
            #expect(ShippedRegistry.isHeadquartersDepartment(unit), "\(unit.name) has no domain")
        }
        #expect(registry.unit(forAddress: "someone@cashq.ac.cn")?.name == "中国科学院机关")
        for branch in ["北京", "沈阳", "长春", "上海", "南京", "武汉", "广州", "成都", "昆明", "西安", "兰州", "新疆"] {
            #expect(registry.unit(named: "中国科学院\(branch)分院") != nil, "\(branch)分院")
        }
        for university in ["中国科学院大学", "中国科学技术大学", "上海科技大学"] {
            #expect(registry.unit(named: university)?.name == university)
        }
    }

    @Test("no domain belongs to two units; domains are lower-case host names; no shared parent domain is given away")
    func domains() {
        var owner: [String: String] = [:]
        for unit in registry.units {
            for domain in unit.domains {
                #expect(owner[domain.lowercased()] == nil, "\(domain): \(owner[domain.lowercased()] ?? "") and \(unit.name)")
                owner[domain.lowercased()] = unit.name
                #expect(domain == domain.lowercased() && domain.contains(".") && !domain.contains("@") && !domain.contains(" "), "\(domain)")
            }
        }
        for parent in ["cas.cn", "ac.cn", "edu.cn", "com", "cn", "qq.com", "163.com"] {
            #expect(owner[parent] == nil, "\(parent) given to \(owner[parent] ?? "")")
        }
    }

    @Test("no name or alias belongs to two units, as written or normalised")
    func aliases() {
        var written: [String: String] = [:]
        var normalised: [String: String] = [:]
        for unit in registry.units {
            for name in Set([unit.name] + unit.aliases) {
                let key = name.filter { !$0.isWhitespace }.lowercased()
                #expect(written[key] == nil || written[key] == unit.name, "\(name): \(written[key] ?? "") and \(unit.name)")
                written[key] = unit.name
                let normal = UnitRegistry.normalizedUnitName(name)
                #expect(!normal.isEmpty)
                #expect(normalised[normal] == nil || normalised[normal] == unit.name, "\(name) → \(normal): \(normalised[normal] ?? "") and \(unit.name)")
                normalised[normal] = unit.name
                #expect(registry.unit(named: name)?.name == unit.name, "\(name)")
            }
        }
    }

    @Test("the original units keep their names, aliases and domains")
    func originalUnits() {
        let expected: [(String, [String], [String])] = [
            ("中国科学院物理研究所", ["物理所", "物理研究所"], ["iphy.ac.cn"]),
            ("中国科学院上海药物研究所", ["上海药物所", "药物所"], ["simm.ac.cn"]),
            ("中国科学院大连化学物理研究所", ["大连化物所", "化物所"], ["dicp.ac.cn"]),
            ("中国科学院兰州分院", ["兰州分院"], ["lzb.ac.cn"]),
            ("中国科学院国家天文台", ["国家天文台"], ["nao.cas.cn", "bao.ac.cn"]),
            ("中国科学院高能物理研究所", ["高能所"], ["ihep.ac.cn"]),
            ("中国科学院深圳先进技术研究院", ["深圳先进院"], ["siat.ac.cn"]),
            ("中国科学院紫金山天文台", ["紫金山天文台"], ["pmo.ac.cn"]),
            ("中国科学院近代物理研究所", ["近代物理所"], ["impcas.ac.cn"]),
            ("中国科学院西安光学精密机械研究所", ["西安光机所"], ["opt.ac.cn"]),
            ("中国科学院光电技术研究所", ["光电所"], ["ioe.ac.cn"]),
            ("中国科学院长春光学精密机械与物理研究所", ["长春光机所"], ["ciomp.ac.cn"]),
            ("中国科学院化学研究所", ["化学所"], ["iccas.ac.cn"]),
        ]
        for (name, aliases, domains) in expected {
            let unit = registry.units.first { $0.name == name }
            #expect(unit?.aliases == aliases && unit?.domains == domains, "\(name)")
        }
    }

    @Test("by address and domain, subdomains included, the longest domain deciding")
    func byAddress() {
        let cases: [(String, String?)] = [
            ("dangban@iphy.ac.cn", "中国科学院物理研究所"),
            ("DangBan@IPHY.AC.CN", "中国科学院物理研究所"),
            ("liufang@iccas.ac.cn", "中国科学院化学研究所"),
            ("x@mail.iap.ac.cn", "中国科学院大气物理研究所"),
            ("x@ia.ac.cn", "中国科学院自动化研究所"),
            ("x@ict.ac.cn", "中国科学院计算技术研究所"),
            ("x@iscas.ac.cn", "中国科学院软件研究所"),
            ("x@mail.ioa.ac.cn", "中国科学院声学研究所"),
            ("x@mails.ucas.ac.cn", "中国科学院大学"),
            ("x@mail.ustc.edu.cn", "中国科学技术大学"),
            ("chenjing@nao.cas.cn", "中国科学院国家天文台"),
            ("x@bao.ac.cn", "中国科学院国家天文台"),
            ("yangli@lzb.ac.cn", "中国科学院兰州分院"),
            ("x@ms.xjb.ac.cn", "中国科学院新疆生态与地理研究所"),
            ("x@xjb.ac.cn", "中国科学院新疆分院"),
            ("x@wh.iov.cn", "中国科学院武汉病毒研究所"),
            ("xcb@cashq.ac.cn", "中国科学院机关"),
            ("someone@cas.cn", nil),
            ("someone@www.cas.cn", nil),
            ("someone@qq.com", nil),
            ("someone@163.com", nil),
            ("x@notiphy.ac.cn", nil),
            ("no-at-sign", nil),
        ]
        for (address, name) in cases {
            #expect(registry.unit(forAddress: address)?.name == name, "\(address)")
        }
    }

    @Test("by name or alias, with or without 中国科学院/中科院, full-width, 研究所 or 所")
    func byName() {
        let cases: [(String, String?)] = [
            ("物理所", "中国科学院物理研究所"),
            ("物理研究所", "中国科学院物理研究所"),
            ("中国科学院物理研究所", "中国科学院物理研究所"),
            ("中科院物理所", "中国科学院物理研究所"),
            ("中科院物理研究所", "中国科学院物理研究所"),
            ("中国科学院物理所", "中国科学院物理研究所"),
            ("中国科学院　物理研究所　", "中国科学院物理研究所"),
            ("（中国科学院）物理研究所", "中国科学院物理研究所"),
            ("中國科學院物理研究所", "中国科学院物理研究所"),
            ("化学所", "中国科学院化学研究所"),
            ("中科院化学所", "中国科学院化学研究所"),
            ("大连化物所", "中国科学院大连化学物理研究所"),
            ("中科院大连化物所", "中国科学院大连化学物理研究所"),
            ("大连化学物理研究所", "中国科学院大连化学物理研究所"),
            ("上海药物所", "中国科学院上海药物研究所"),
            ("药物所", "中国科学院上海药物研究所"),
            ("中科院上海药物所", "中国科学院上海药物研究所"),
            ("高能所", "中国科学院高能物理研究所"),
            ("计算所", "中国科学院计算技术研究所"),
            ("中科院计算技术研究所", "中国科学院计算技术研究所"),
            ("软件所", "中国科学院软件研究所"),
            ("声学所", "中国科学院声学研究所"),
            ("自动化所", "中国科学院自动化研究所"),
            ("国科大", "中国科学院大学"),
            ("中科大", "中国科学技术大学"),
            ("院机关", "中国科学院机关"),
            ("直属机关党委", "中国科学院直属机关党委"),
            ("中国科学院某某研究所", nil),
            ("北京大学物理学院", nil),
        ]
        for (name, expected) in cases {
            #expect(registry.unit(named: name)?.name == expected, "\(name)")
        }
        #expect(registry.unit(named: "化学所")?.name != registry.unit(named: "大连化物所")?.name)
    }
}
