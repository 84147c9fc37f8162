import Foundation
import Intake
import Store
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

@Suite("Matching keys: made again when the registry changes")
struct KeyRefreshTests {
    @Test("a store whose keys were made by older rules or another registry: the next start makes them again, once")
    func refresh() throws {
        let workspace = try TestWorkspace()
        defer { workspace.remove() }
        var configuration = try GatewayConfiguration.load(from: workspace.configFile)
        let store = try TuibaoStore(dataDirectory: configuration.dataDirectory)
        let pipeline = try IntakePipeline(store: store, configuration: configuration)
        _ = try pipeline.ingest(fileAt: TestWorkspace.sample("01-foxmail-iphy"))
        try store.write { store in
            var record = EarlierRecord(campaignId: "c2017", externalId: "1", unit: "雪域站", unitKey: "旧键", category: nil,
                                       nominee: "韓思遠", nomineeKey: "旧", title: "冰川", titleKey: "冰川", submittedOn: nil,
                                       importedAt: Date())
            try store.insert(EarlierCampaignRecord(id: "c2017", name: "2017", createdAt: Date()))
            try store.insert(&record)
            // As a store filed before the keys were folded this way.
            try store.updateKeys(submissionId: 1, nomineeKey: "旧", unitKey: "旧键")
            try store.setSetting("matching-keys", to: "made by an older version")
        }
        func keys() throws -> [String?] {
            try store.read { store in
                let submission = try store.submission(id: 1)!
                let record = try store.allEarlierRecords()[0]
                return [submission.nomineeKey, submission.unitKey, record.nomineeKey, record.unitKey]
            }
        }
        let registry = MatchingKeys(units: configuration.units)
        _ = try IntakePipeline(store: store, configuration: configuration)
        // The submission's unit from its form (中国科学院物理研究所), the nominee folded to simplified.
        #expect(try keys() == ["韩思远", registry.unit("中国科学院物理研究所"), "韩思远", registry.unit("雪域站")])
        #expect(registry.unit("雪域站") == "雪域站")  // not in the registry: its own folded name

        // Same registry, same rules: nothing is touched.
        try store.write { try $0.updateKeys(submissionId: 1, nomineeKey: "旧", unitKey: nil) }
        _ = try IntakePipeline(store: store, configuration: configuration)
        #expect(try keys()[0] == "旧")

        // The registry learns an alias: every key is made again, and the list's unit is now known.
        configuration.units = UnitRegistry(units: configuration.units.units
                                           + [RegisteredUnit(name: "中国科学院雪域研究站", aliases: ["雪域站"], domains: ["xueyu.example"])])
        _ = try IntakePipeline(store: store, configuration: configuration)
        let refreshed = try keys()
        #expect(refreshed[0] == "韩思远")
        #expect(refreshed[3] == MatchingKeys(units: configuration.units).unit("中国科学院雪域研究站"))
        #expect(refreshed[3] != "雪域站")
    }
}
