import Foundation
import Intake
import TestSupport
import Testing
@testable import Gateway

@Suite("Matching keys: units")
struct MatchingKeysTests {
    /// The shipped registry, read by the service's own loader (arrays with comments included).
    let keys: MatchingKeys

    init() throws {
        keys = MatchingKeys(units: try GatewayConfiguration.loadUnits(
            TestWorkspace.repositoryRoot.appendingPathComponent("Config/units.toml")))
    }

    @Test("the shipped registry loads with the service's loader")
    func loads() {
        #expect(keys.units.units.count >= 100)
        #expect(keys.units.unit(forAddress: "x@aiofm.ac.cn")?.name == "中国科学院合肥物质科学研究院")
    }

    @Test("a registered unit named with or without 中国科学院/中科院, by alias, full-width or traditional: one key")
    func registered() {
        let key = keys.unit("中国科学院物理研究所")
        for name in ["物理研究所", "物理所", "中科院物理所", "中科院物理研究所", "中国科学院物理所", "中国科学院　物理研究所。",
                     "中國科學院物理研究所", "（中国科学院）物理所"] {
            #expect(keys.unit(name) == key, "\(name)")
        }
        #expect(keys.unit("大连化物所") == keys.unit("中国科学院大连化学物理研究所"))
        #expect(keys.unit("化物所") == keys.unit("中科院大连化学物理研究所"))
        #expect(keys.unit("药物所") == keys.unit("中国科学院上海药物研究所"))
        #expect(keys.unit("计算所") == keys.unit("中国科学院计算技术研究所"))
        #expect(keys.unit("国科大") == keys.unit("中国科学院大学"))
    }

    @Test("different units keep different keys")
    func different() {
        let distinct = ["中国科学院化学研究所", "中国科学院大连化学物理研究所", "中国科学院兰州化学物理研究所", "中国科学院物理研究所",
                        "中国科学院理论物理研究所", "中国科学院近代物理研究所", "中国科学院高能物理研究所", "中国科学院上海药物研究所",
                        "中国科学院大学", "中国科学技术大学", "中国科学院植物研究所", "中国科学院昆明植物研究所"]
        #expect(Set(distinct.map(keys.unit)).count == distinct.count)
        #expect(keys.unit("化学所") != keys.unit("大连化物所"))
        #expect(keys.unit("物理所") != keys.unit("近代物理所"))
    }

    @Test("a unit the registry does not know: the same key with or without the prefix, 研究所 or 所, any width")
    func unregistered() {
        let key = keys.unit("中国科学院未来技术研究所")
        #expect(key == "未来技术所")
        for name in ["未来技术研究所", "未来技术所", "中科院未来技术所", "中国科学院 未来技术所", "中國科學院未來技術研究所", "中国科学院（未来技术研究所）"] {
            #expect(keys.unit(name) == key, "\(name)")
        }
        #expect(keys.unit("ＸＹＺ大学物理学院") == keys.unit("xyz大学 物理学院"))
        #expect(keys.unit("北京大学物理学院") != keys.unit("物理所"))
        // Without any registry the same pure normalisation applies.
        let bare = MatchingKeys(units: UnitRegistry(units: []))
        #expect(bare.unit("中国科学院物理研究所") == bare.unit("中科院物理所"))
        #expect(bare.unit("物理研究所") == "物理所")
    }
}
