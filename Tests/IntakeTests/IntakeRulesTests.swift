import Foundation
import Testing
import Intake

@Suite("Never-reply rules")
struct IgnoreRulesTests {
    let rules = IgnoreRules(ownAddresses: ["xcb@cashq.ac.cn"])

    func message(from: String = "dangban@iphy.ac.cn", returnPath: String? = "dangban@iphy.ac.cn",
                 auto: String? = nil, precedence: String? = nil, list: [String] = [], loop: [String] = [],
                 report: Bool = false) -> InboundMessage {
        InboundMessage(fromAddress: from, returnPath: returnPath, autoSubmitted: auto, precedence: precedence,
                       listHeaderNames: list, xLoop: loop, isDeliveryReport: report)
    }

    @Test("an ordinary nomination is not ignored")
    func ordinary() {
        #expect(rules.reason(for: message()) == nil)
        #expect(rules.reason(for: message(auto: "no")) == nil)
        #expect(rules.reason(for: message(returnPath: nil)) == nil)
    }

    @Test("each rule, with its reason", arguments: [
        (InboundMessage(fromAddress: "a@b.cn", autoSubmitted: "auto-replied"), IgnoreReason.autoReply),
        (InboundMessage(fromAddress: "a@b.cn", autoSubmitted: "auto-generated; owner=x"), .autoReply),
        (InboundMessage(fromAddress: "a@b.cn", precedence: "bulk"), .autoReply),
        (InboundMessage(fromAddress: "a@b.cn", precedence: "junk"), .autoReply),
        (InboundMessage(fromAddress: "a@b.cn", precedence: " List "), .mailingList),
        (InboundMessage(fromAddress: "a@b.cn", listHeaderNames: ["List-Id"]), .mailingList),
        (InboundMessage(fromAddress: "a@b.cn", returnPath: ""), .bounce),
        (InboundMessage(fromAddress: "MAILER-DAEMON@mail.cashq.ac.cn"), .bounce),
        (InboundMessage(fromAddress: "postmaster@iphy.ac.cn"), .bounce),
        (InboundMessage(fromAddress: "a@b.cn", isDeliveryReport: true), .bounce),
        (InboundMessage(fromAddress: "XCB@cashq.ac.cn"), .ownAddress),
        (InboundMessage(fromAddress: "a@b.cn", xLoop: ["xcb@cashq.ac.cn"]), .loop),
    ])
    func rule(_ message: InboundMessage, _ reason: IgnoreReason) {
        #expect(rules.reason(for: message) == reason)
    }
}

@Suite("Tracking numbers")
struct TrackingNumberTests {
    @Test("format: prefix, dash, at least four digits")
    func format() {
        #expect(TrackingNumber(prefix: "YS2018", sequence: 42).description == "YS2018-0042")
        #expect(TrackingNumber(prefix: "YS2018", sequence: 12345).description == "YS2018-12345")
        #expect(TrackingNumber(prefix: "YS2018", sequence: 7).bracketed == "【YS2018-0007】")
    }

    @Test("found in the subjects units reply with", arguments: [
        ("回复：【YS2018-0042】受理回执：物理所推报材料", 42),
        ("Re: [YS2018-0042] 请补正", 42),
        ("答复: 【ＹＳ２０１８－００４２】", 42),
        ("re: ys2018-42 补充材料", 42),
        ("Fw: 关于 YS2018 - 0105 的补充", 105),
    ])
    func found(_ subject: String, _ sequence: Int) {
        #expect(TrackingNumber.find(in: subject, prefix: "YS2018") == TrackingNumber(prefix: "YS2018", sequence: sequence))
    }

    @Test("not found in unrelated text", arguments: ["【一所一人一事】物理所推报", "YS2019-0042", "YS20180042", "电话 2018-0042"])
    func notFound(_ subject: String) {
        #expect(TrackingNumber.find(in: subject, prefix: "YS2018") == nil)
    }
}

@Suite("Decisions and reply addressing")
struct DecisionTests {
    @Test("duplicates win, then errors, else a receipt")
    func action() {
        #expect(DecisionRules.action(for: []) == .acknowledge)
        #expect(DecisionRules.action(for: [Problem(code: .senderUnknown, message: "")]) == .acknowledge)
        #expect(DecisionRules.action(for: [Problem(code: .imageTooSmall, message: "")]) == .correct)
        #expect(DecisionRules.action(for: [Problem(code: .imageTooSmall, message: ""),
                                           Problem(code: .duplicateEarlierCampaign, message: "")]) == .alreadySubmitted)
    }

    @Test("Reply-To before From; never a null Return-Path or an unsafe address")
    func recipient() {
        #expect(ReplyAddressing.recipient(for: InboundMessage(fromAddress: "a@iphy.ac.cn")) == "a@iphy.ac.cn")
        #expect(ReplyAddressing.recipient(for: InboundMessage(fromAddress: "a@iphy.ac.cn", replyToAddress: "office@iphy.ac.cn")) == "office@iphy.ac.cn")
        #expect(ReplyAddressing.recipient(for: InboundMessage(fromAddress: "a@iphy.ac.cn", returnPath: "")) == nil)
        #expect(ReplyAddressing.recipient(for: InboundMessage(fromAddress: "a@iphy.ac.cn\r\nBcc: x@y.cn")) == nil)
    }
}

@Suite("Units registry")
struct UnitRegistryTests {
    let registry = UnitRegistry(units: [
        RegisteredUnit(name: "物理研究所", aliases: ["物理所"], domains: ["iphy.ac.cn"]),
        RegisteredUnit(name: "中国科学院大学", aliases: ["国科大"], domains: ["ucas.ac.cn"]),
        RegisteredUnit(name: "国科大党委宣传部", domains: ["mails.ucas.ac.cn"], addresses: ["xcb@ucas.ac.cn"]),
    ])

    @Test("address, then longest domain, subdomains included")
    func byAddress() {
        #expect(registry.unit(forAddress: "Dangban@IPHY.ac.cn")?.name == "物理研究所")
        #expect(registry.unit(forAddress: "x@mail.iphy.ac.cn")?.name == "物理研究所")
        #expect(registry.unit(forAddress: "x@mails.ucas.ac.cn")?.name == "国科大党委宣传部")
        #expect(registry.unit(forAddress: "xcb@ucas.ac.cn")?.name == "国科大党委宣传部")
        #expect(registry.unit(forAddress: "y@ucas.ac.cn")?.name == "中国科学院大学")
        #expect(registry.unit(forAddress: "someone@qq.com") == nil)
        #expect(registry.unit(forAddress: "x@notiphy.ac.cn") == nil)
    }

    @Test("by name or alias")
    func byName() {
        #expect(registry.unit(named: "物理所")?.name == "物理研究所")
        #expect(registry.unit(named: " 国科大 ")?.name == "中国科学院大学")
        #expect(registry.unit(named: "中科院物理研究所")?.name == "物理研究所")
        #expect(registry.unit(named: "中国科学院物理所")?.name == "物理研究所")
        #expect(registry.unit(named: "国科大党委宣传部")?.name == "国科大党委宣传部")
        #expect(registry.unit(named: "化学所") == nil)
    }

    @Test("normalised names: without 中国科学院/中科院, half-width, letters and digits only, 研究所 as 所")
    func normalisedNames() {
        for name in ["中国科学院物理研究所", "物理研究所", "物理所", "中科院物理所", "中科院物理研究所", "中国科学院　物理所",
                     " 中国科学院（物理研究所）", "中國科學院物理研究所"] {
            #expect(UnitRegistry.normalizedUnitName(name) == "物理所", "\(name)")
        }
        #expect(UnitRegistry.normalizedUnitName("中国科学院ＩＣＴ") == "ict")
        #expect(UnitRegistry.normalizedUnitName("中科院 ＸＹＺ 研究所") == "xyz所")
        #expect(UnitRegistry.normalizedUnitName("中国科学院大连化学物理研究所") == "大连化学物理所")
        #expect(UnitRegistry.normalizedUnitName("化学研究所") == "化学所")
        // Nothing would remain: the word stays.
        #expect(UnitRegistry.normalizedUnitName("中国科学院") == "中国科学院")
        #expect(UnitRegistry.normalizedUnitName("研究所") == "研究所")
        // Only a leading prefix and a trailing 研究所.
        #expect(UnitRegistry.normalizedUnitName("江苏省中国科学院植物研究所") == "江苏省中国科学院植物所")
        #expect(UnitRegistry.normalizedUnitName("物理研究所党委") == "物理研究所党委")
        #expect(UnitRegistry.normalizedUnitName("") == "")
    }

    @Test("an alias as registered keeps its unit; a normalised form two units share names neither")
    func ambiguous() {
        let registry = UnitRegistry(units: [
            RegisteredUnit(name: "某地药物研究所", domains: ["a.example"]),
            RegisteredUnit(name: "中国科学院上海药物研究所", aliases: ["上海药物所", "药物所"], domains: ["simm.ac.cn"]),
        ])
        #expect(registry.unit(named: "药物所")?.name == "中国科学院上海药物研究所")
        #expect(registry.unit(named: "上海药物所")?.name == "中国科学院上海药物研究所")
        #expect(registry.unit(named: "某地药物研究所")?.name == "某地药物研究所")
        #expect(registry.unit(named: "某地药物所")?.name == "某地药物研究所")
        let clash = UnitRegistry(units: [
            RegisteredUnit(name: "甲研究所", domains: ["a.example"]),
            RegisteredUnit(name: "中国科学院甲所", domains: ["b.example"]),
        ])
        #expect(clash.unit(named: "甲研究所")?.name == "甲研究所")
        #expect(clash.unit(named: "中国科学院甲所")?.name == "中国科学院甲所")
        #expect(clash.unit(named: "中科院甲研究所") == nil)
    }

    @Test("the registry compares by its units; changing them rebuilds the name index")
    func equalityAndMutation() {
        var copy = registry
        #expect(copy == registry)
        copy.units.append(RegisteredUnit(name: "中国科学院化学研究所", aliases: ["化学所"], domains: ["iccas.ac.cn"]))
        #expect(copy != registry)
        #expect(copy.unit(named: "中科院化学所")?.name == "中国科学院化学研究所")
        #expect(registry.unit(named: "中科院化学所") == nil)
    }
}

@Suite("Reply throttle")
struct ReplyThrottleTests {
    let throttle = ReplyThrottle(maxPerSender: 3, window: 3600, identicalWindow: 86_400)
    let now = Date(timeIntervalSince1970: 1_526_000_000)

    func earlier(_ id: Int64, minutesAgo: Double, key: String = "k\(UUID())") -> ReplyThrottle.EarlierReply {
        ReplyThrottle.EarlierReply(id: id, createdAt: now.addingTimeInterval(-minutesAgo * 60), contentKey: key)
    }

    @Test("under the limit: send; at the limit within the hour: rate limited; older replies do not count")
    func rateLimit() {
        #expect(throttle.verdict(contentKey: "new", earlier: [], now: now) == .send)
        #expect(throttle.verdict(contentKey: "new", earlier: [earlier(1, minutesAgo: 5), earlier(2, minutesAgo: 50)], now: now) == .send)
        let three = [earlier(1, minutesAgo: 5), earlier(2, minutesAgo: 30), earlier(3, minutesAgo: 59)]
        #expect(throttle.verdict(contentKey: "new", earlier: three, now: now) == .rateLimited(count: 3))
        let oneOld = [earlier(1, minutesAgo: 5), earlier(2, minutesAgo: 30), earlier(3, minutesAgo: 61)]
        #expect(throttle.verdict(contentKey: "new", earlier: oneOld, now: now) == .send)
    }

    @Test("the same reply within a day is suppressed naming the latest earlier one; after a day it may go again")
    func identical() {
        let replies = [earlier(7, minutesAgo: 600, key: "same"), earlier(9, minutesAgo: 120, key: "same"), earlier(8, minutesAgo: 5)]
        #expect(throttle.verdict(contentKey: "same", earlier: replies, now: now) == .identical(earlierId: 9))
        #expect(throttle.verdict(contentKey: "same", earlier: [earlier(7, minutesAgo: 24 * 60 + 1, key: "same")], now: now) == .send)
    }

    @Test("the explanations staff read")
    func explanations() {
        #expect(ReplyThrottle.Verdict.rateLimited(count: 3).explanation(window: 3600, identicalWindow: 86_400)
                == "同一地址 60 分钟内已有 3 封自动回复，本封不发送（防止邮件循环）(rate limit)")
        #expect(ReplyThrottle.Verdict.identical(earlierId: 9).explanation(window: 3600, identicalWindow: 86_400)
                == "与第 9 号回复内容相同，24 小时内不重复发送 (identical reply)")
        #expect(ReplyThrottle.Verdict.send.explanation(window: 3600, identicalWindow: 86_400) == nil)
    }
}

@Suite("One action for a mail with several nominations")
struct CombinedActionTests {
    @Test("any correction wins; already-submitted only when all were; else a receipt")
    func combining() {
        #expect(DecisionRules.action(combining: [.acknowledge, .correct, .alreadySubmitted]) == .correct)
        #expect(DecisionRules.action(combining: [.alreadySubmitted, .alreadySubmitted]) == .alreadySubmitted)
        #expect(DecisionRules.action(combining: [.alreadySubmitted, .acknowledge]) == .acknowledge)
        #expect(DecisionRules.action(combining: []) == .acknowledge)
    }
}

@Suite("Sizes in replies")
struct SizeTextTests {
    @Test("bytes, rounded KB, whole or one-decimal MB")
    func sizes() {
        #expect(SizeText.of(512) == "512 字节")
        #expect(SizeText.of(614_400) == "600 KB")
        #expect(SizeText.of(300_000) == "293 KB")
        #expect(SizeText.of(1_048_576) == "1 MB")
        #expect(SizeText.of(1_572_864) == "1.5 MB")
    }
}
