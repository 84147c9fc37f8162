import Foundation
import TestSupport
import Testing

/// Review by e-mail end to end, as reviewers meet it: `review send` queues one mail per reviewer,
/// `tuibao send` hands them to a real SMTP server (aiosmtpd); each reviewer's sheet is filled in
/// by openpyxl and the reply delivered to a real Dovecot; `tuibao poll` files the scores and
/// `tuibao send` mails the receipts. Six deeds, four reviewers, k = 3, 甲 of YS2018-0001's unit.
@Suite("Review by e-mail: scoring sheets out through SMTP, back through Dovecot", .serialized)
struct ReviewMailTests {
    static let criteria = ["事迹典型性", "感染力", "材料质量"]
    static let weights = [0.4, 0.3, 0.3]
    static let reviewers = ["甲", "乙", "丙", "丁"]

    /// What reviewer r gives deed d on criterion c: varied, within 1–10, some with a half.
    static func score(_ reviewer: Int, _ deed: Int, _ criterion: Int) -> Double {
        let base: Int = 3 + (reviewer * 2 + deed * 3 + criterion) % 7
        let half: Double = criterion == 1 ? 0.5 : 0
        return Double(base) + half
    }

    static let replyScript = TestWorkspace.repositoryRoot.appendingPathComponent("Tests/TestSupport/review_reply.py").path

    /// A mail as Python's email package reads it (an independent parser): headers, the text,
    /// and each attachment — an .xlsx by openpyxl (sheets, states, the scoring rows), a .zip
    /// by zipfile (member names).
    static let summaryScript = """
        import email, email.policy, io, json, sys, zipfile, openpyxl
        message = email.message_from_binary_file(open(sys.argv[1], "rb"), policy=email.policy.default)
        summary = {key: str(message[key]) if message[key] else None
                   for key in ["Subject", "To", "Message-ID", "In-Reply-To", "Auto-Submitted"]}
        summary["text"] = message.get_body(preferencelist=("plain",)).get_content()
        summary["attachments"] = []
        for part in message.iter_attachments():
            data = part.get_content()
            entry = {"filename": part.get_filename(), "type": part.get_content_type(), "size": len(data)}
            if entry["filename"].endswith(".xlsx"):
                book = openpyxl.load_workbook(io.BytesIO(data))
                entry["sheets"] = [[name, book[name].sheet_state] for name in book.sheetnames]
                entry["header"] = [c.value for c in book["评分表"][1]]
                entry["deeds"] = [row[0] for row in book["评分表"].iter_rows(min_row=2, values_only=True)]
                entry["validation"] = [str(v.sqref) for v in book["评分表"].data_validations.dataValidation]
            if entry["filename"].endswith(".zip"):
                entry["members"] = sorted(zipfile.ZipFile(io.BytesIO(data)).namelist())
            summary["attachments"].append(entry)
        print(json.dumps(summary, ensure_ascii=False))
        """

    static func summary(_ file: URL) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(PythonReader.run(summaryScript, file.path).utf8)) as? [String: Any])
    }

    /// The mails the SMTP server took for `address`, as files, in order.
    static func mails(to address: String, from smtp: SMTPTestServer, in workspace: TestWorkspace) throws -> [URL] {
        try smtp.received().enumerated().filter { $0.element.to == [address] }.map { index, mail in
            let file = workspace.directory.appendingPathComponent("sent-\(index).eml")
            try mail.data.write(to: file)
            return file
        }
    }

    /// A reviewer's reply to `sheetMail`, made by review_reply.py: scores per tracking number.
    static func reply(to sheetMail: URL, from sender: String, scores: [String: [String: Any]], extra: [String] = [],
                      in workspace: TestWorkspace) throws -> Data {
        let out = workspace.directory.appendingPathComponent("reply-\(UUID().uuidString.prefix(8)).eml")
        let json = String(decoding: try JSONSerialization.data(withJSONObject: scores), as: UTF8.self)
        try DovecotServer.run("/usr/bin/python3", [replyScript, "--mail", sheetMail.path, "--out", out.path, "--sender", sender,
                                                   "--scores", json] + extra)
        return try Data(contentsOf: out)
    }

    /// Every score of a reviewer's assigned deeds, from `score`.
    static func fullScores(_ reviewer: Int, _ deeds: [String]) -> [String: [String: Any]] {
        var scores: [String: [String: Any]] = [:]
        for deed in deeds {
            let d = Int(deed.suffix(1))!
            var row: [String: Any] = [:]
            for (c, name) in criteria.enumerated() { row[name] = score(reviewer, d, c) }
            scores[deed] = row
        }
        return scores
    }

    @Test("sheets out and back: filed, a forged token and a wrong sender refused, 11 queried, a later sheet replaces; receipts threaded")
    func roundTrip() throws {
        let imap = try DovecotServer()
        let smtp = try SMTPTestServer()
        let workspace = try TestWorkspace(imap: imap, smtp: smtp, extra: ReviewCommandTests.review)
        defer { imap.remove(); smtp.remove(); workspace.remove() }
        _ = try ReviewCommandTests.shortlist(in: workspace)
        _ = try workspace.ok(["review", "assign", "--by", "刘毅"])
        let assigned = try ReviewCommandTests.assignment(workspace)
        let environment = ReviewCommandTests.now.merging(["TUIBAO_IMAP_PASSWORD": imap.password]) { $1 }

        // Out: one mail per reviewer through the outbox and the real SMTP server.
        let sendOutput = try workspace.ok(["review", "send", "--by", "刘毅"])
        #expect(sendOutput.contains("已为 4 位评审专家准备评分表"), "\(sendOutput)")
        #expect(try workspace.ok(["review", "send"]).contains("未重发（评分表已发过，名单未变；需要时加 --again）：甲、乙、丙、丁"))
        #expect(try workspace.run(["send"], environment: environment).status == 0)
        var sheetMails: [String: URL] = [:]
        for name in Self.reviewers {
            let address = ReviewCommandTests.addresses[name]!
            let mails = try Self.mails(to: address, from: smtp, in: workspace)
            try #require(mails.count == 1, "\(name) got \(mails.count) mails")
            sheetMails[name] = mails[0]
            let mail = try Self.summary(mails[0])
            let deeds = assigned[name]!
            #expect(mail["Subject"] as? String == "【评审】2018 年度最佳事迹 · 评分表（\(name)，\(deeds.count) 件）")
            #expect(mail["Auto-Submitted"] as? String == "auto-generated")
            #expect((mail["text"] as! String).hasPrefix("\(name)：\n\n您好！感谢您担任「2018 年度最佳事迹」的评审专家。"))
            let attachments = mail["attachments"] as! [[String: Any]]
            try #require(attachments.count == 2)
            let sheet = attachments[0], archive = attachments[1]
            #expect(sheet["filename"] as? String == "评分表-2018 年度最佳事迹-\(name).xlsx")
            #expect(sheet["type"] as? String == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
            #expect(sheet["sheets"] as? [[String]] == [["评分表", "visible"], ["tuibao", "hidden"]])
            #expect(sheet["header"] as? [String] == ["受理编号", "事迹标题", "单位", "被推荐人", "类别", "材料",
                                                     "事迹典型性（1–10）", "感染力（1–10）", "材料质量（1–10）", "评语（选填）"])
            #expect(sheet["deeds"] as? [String] == deeds, "\(name)'s sheet lists exactly their deeds")
            #expect(sheet["validation"] as? [String] == ["G2:G\(deeds.count + 1) H2:H\(deeds.count + 1) I2:I\(deeds.count + 1)"])
            #expect(archive["filename"] as? String == "评审材料-\(name).zip")
            let members = archive["members"] as! [String]
            // Every deed has a folder; YS2018-0005 (complete) brings its form, essay and picture.
            for deed in deeds { #expect(members.contains { $0.hasPrefix("\(deed) ") }, "\(deed) in \(name)'s archive") }
            if deeds.contains("YS2018-0005") {
                #expect(members.filter { $0.hasPrefix("YS2018-0005 ") }
                    == ["YS2018-0005 把“慧眼”送上太空/孙启航在反射镜加工车间.jpg", "YS2018-0005 把“慧眼”送上太空/征文：把“慧眼”送上太空.docx",
                        "YS2018-0005 把“慧眼”送上太空/附件1：推报表（孙启航）.docx"])
            }
        }
        #expect(!assigned["甲"]!.contains("YS2018-0001"), "甲 is of 物理所, like YS2018-0001")

        // Back: a forged token, a sheet from the wrong address, then every reviewer's sheet —
        // 丙's with an 11 and a word where a score belongs.
        let jia = assigned["甲"]!, bing = assigned["丙"]!
        var bingScores = Self.fullScores(2, bing)
        bingScores[bing[0]]!["事迹典型性"] = 11
        bingScores[bing[1]]!["感染力"] = "很好"
        bingScores[bing[1]]!["评语"] = "事迹感人，材料扎实"
        let forged = try Self.reply(to: sheetMails["丁"]!, from: "ding@ihep.ac.cn", scores: Self.fullScores(3, assigned["丁"]!),
                                    extra: ["--forge-token"], in: workspace)
        let wrongSender = try Self.reply(to: sheetMails["甲"]!, from: "yi@cashq.ac.cn", scores: Self.fullScores(0, jia), in: workspace)
        try imap.deliver(forged, name: "forged")
        // The same forged sheet again: the same refusal is not sent twice (the reply throttle).
        try imap.deliver(try Self.reply(to: sheetMails["丁"]!, from: "ding@ihep.ac.cn", scores: Self.fullScores(3, assigned["丁"]!),
                                        extra: ["--forge-token"], in: workspace), name: "forged-again")
        try imap.deliver(wrongSender, name: "wrong-sender")
        // 丁 works in LibreOffice: the sheet comes back as LibreOffice Calc saved it.
        for (index, name) in Self.reviewers.enumerated() {
            let scores = name == "丙" ? bingScores : Self.fullScores(index, assigned[name]!)
            try imap.deliver(try Self.reply(to: sheetMails[name]!, from: ReviewCommandTests.addresses[name]!, scores: scores,
                                            extra: name == "丁" ? ["--via-libreoffice"] : [], in: workspace),
                             name: "sheet-\(index)")
        }
        let poll = try workspace.run(["poll", "--once"], environment: environment)
        #expect(poll.status == 0, "\(poll.error)")

        // 丙's two cells were not recorded; everything of the forged and misdirected sheets neither.
        var status = try workspace.json(["review", "status"])
        var progress = Dictionary(uniqueKeysWithValues: (status["reviewers"] as! [[String: Any]]).map { ($0["name"] as! String, $0) })
        #expect(progress["甲"]!["missing"] as? [String] == [])
        #expect(progress["乙"]!["missing"] as? [String] == [])
        #expect(progress["丙"]!["missing"] as? [String] == [bing[0], bing[1]])
        #expect(progress["丁"]!["missing"] as? [String] == [])
        #expect(progress["丁"]!["lastReturnRefused"] as? Bool == false)

        // A corrected sheet from 丙, and 甲 changing one score: the later sheet replaces.
        var corrected = Self.fullScores(2, bing)
        corrected[bing[0]]!["事迹典型性"] = 9
        var jiaChanged = Self.fullScores(0, jia)
        jiaChanged[jia[0]]!["感染力"] = 2
        try imap.deliver(try Self.reply(to: sheetMails["丙"]!, from: "bing@dicp.ac.cn", scores: corrected, in: workspace), name: "bing-2")
        try imap.deliver(try Self.reply(to: sheetMails["甲"]!, from: "jia@iphy.ac.cn", scores: jiaChanged, in: workspace), name: "jia-2")
        #expect(try workspace.run(["poll", "--once"], environment: environment).status == 0)
        #expect(try workspace.run(["send"], environment: environment).status == 0)
        status = try workspace.json(["review", "status"])
        progress = Dictionary(uniqueKeysWithValues: (status["reviewers"] as! [[String: Any]]).map { ($0["name"] as! String, $0) })
        for name in Self.reviewers { #expect(progress[name]!["missing"] as? [String] == [], "\(name)") }

        // The receipts, each threaded to the mail it answers (Dovecot's order within one poll is its own).
        func receipts(_ address: String) throws -> (refused: [[String: Any]], filed: [[String: Any]]) {
            let mails = try Self.mails(to: address, from: smtp, in: workspace).map(Self.summary).dropFirst()
            return (mails.filter { ($0["Subject"] as! String).hasSuffix("评分表未能记录") },
                    mails.filter { ($0["Subject"] as! String) == "【评审】2018 年度最佳事迹 · 评分已记录" })
        }
        let ding = try receipts("ding@ihep.ac.cn")
        try #require(ding.refused.count == 1 && ding.filed.count == 1, "丁: the refusal of the forged sheet, the receipt")
        #expect(ding.refused[0]["Subject"] as? String == "【评审】年度最佳事迹评审 · 评分表未能记录")
        #expect((ding.refused[0]["text"] as! String).contains("未能记录评分：评分表中隐藏的标识无法核验（可能被改动，或不是我们发出的评分表），未记录任何评分。"))
        let suppressed = try workspace.ok(["outbox", "--suppressed"])
        #expect(suppressed.contains("ding@ihep.ac.cn") && suppressed.contains("内容相同"), "\(suppressed)")
        #expect((ding.filed[0]["text"] as! String).contains("全部评分均已记录，谢谢！"))
        let yi = try receipts("yi@cashq.ac.cn")
        try #require(yi.refused.count == 1 && yi.filed.count == 1, "乙: the refusal of 甲's sheet from this address, the receipt")
        #expect((yi.refused[0]["text"] as! String).contains("这份评分表是发给评审专家「甲」的，须由其本人的邮箱发回；未记录任何评分。"))
        #expect(yi.refused[0]["In-Reply-To"] as? String == Self.messageId(wrongSender))
        let bingMails = try receipts("bing@dicp.ac.cn").filed
        try #require(bingMails.count == 2)
        let query = bingMails[0]["text"] as! String
        #expect(query.contains("  × 事迹典型性：“11”超出 1–10 分的范围，未记录"))
        #expect(query.contains("  × 感染力：“很好”不是分数，未记录"))
        #expect(query.contains("  · 评语：事迹感人，材料扎实"))
        #expect(query.contains("标 × 的单元格未能记录。"))
        #expect((bingMails[1]["text"] as! String).contains("  · 事迹典型性：9 分\n"))
        let jiaMails = try receipts("jia@iphy.ac.cn").filed
        try #require(jiaMails.count == 2)
        let earlier = Self.score(0, Int(jia[0].suffix(1))!, 1)
        #expect((jiaMails[1]["text"] as! String).contains("  · 感染力：2 分（此前为 \(Self.number(earlier)) 分）"))

        // 甲 answers the sheet mail again but forgets the sheet: told so. 丁 thanks us for the
        // receipt: kept for staff, not answered (no exchange with the machine).
        let dingReceipt = try #require(try Self.mails(to: "ding@ihep.ac.cn", from: smtp, in: workspace)
            .first { try Self.summary($0)["Subject"] as? String == "【评审】2018 年度最佳事迹 · 评分已记录" })
        try imap.deliver(try Self.reply(to: dingReceipt, from: "ding@ihep.ac.cn", scores: [:], extra: ["--no-sheet"], in: workspace),
                         name: "thanks")
        try imap.deliver(try Self.reply(to: sheetMails["甲"]!, from: "jia@iphy.ac.cn", scores: [:], extra: ["--no-sheet"], in: workspace),
                         name: "forgot")
        #expect(try workspace.run(["poll", "--once"], environment: environment).status == 0)
        #expect(try workspace.run(["send"], environment: environment).status == 0)
        #expect(try Self.mails(to: "ding@ihep.ac.cn", from: smtp, in: workspace).count == 3, "no answer to a thank-you")
        let forgot = try #require(try Self.mails(to: "jia@iphy.ac.cn", from: smtp, in: workspace).last.map(Self.summary))
        #expect((forgot["text"] as! String).contains("未能记录评分：邮件中没有找到评分表附件（.xlsx）。请回复我们发给您的邮件并附上填好的评分表。"))
        #expect(try workspace.ok(["messages"]).contains("不处理（评审往来邮件（未附评分表），未自动回复，请工作人员查看）"))

        // The ranking against a hand computation from the sheets as filed.
        var filed: [String: [String: [Double]]] = [:]  // deed → reviewer → values
        for (index, name) in Self.reviewers.enumerated() {
            for deed in assigned[name]! {
                filed[deed, default: [:]][name] = (0..<3).map { Self.score(index, Int(deed.suffix(1))!, $0) }
            }
        }
        filed[bing[0]]!["丙"]![0] = 9
        filed[jia[0]]!["甲"]![1] = 2
        let ranking = try workspace.json(["review", "ranking"])
        for deed in ranking["deeds"] as! [[String: Any]] {
            let tracking = deed["trackingNumber"] as! String
            let weighted = filed[tracking]!.values.map { zip($0, Self.weights).reduce(0) { $0 + $1.0 * $1.1 } }
            let mean = weighted.reduce(0, +) / Double(weighted.count)
            #expect(abs((deed["weightedMean"] as! Double) - mean) < 1e-4, "\(tracking): \(deed["weightedMean"]!) vs \(mean)")
            #expect(deed["reviews"] as? Int == 3)
            #expect(deed["missingReviews"] as? Bool == false)
        }

        // Every returned sheet is kept: the messages say what became of each.
        let messages = try workspace.ok(["messages"])
        #expect(messages.components(separatedBy: "评分表未记录").count - 1 == 4, "\(messages)")

        // The committee closes the round and chooses: the top two of the ranking and one named.
        let ranked = (ranking["deeds"] as! [[String: Any]]).map { $0["trackingNumber"] as! String }
        #expect(try workspace.fails(["review", "choose", "--top", "2"]).hasPrefix("错误：评审轮次「2018 年度最佳事迹」尚未结束"))
        _ = try workspace.ok(["review", "close", "--by", "刘毅"])
        #expect(try workspace.fails(["review", "choose", "YS2018-0007"])
            == "错误：YS2018-0007 不在评审轮次「2018 年度最佳事迹」的名单上 (not on the shortlist)\n")
        let chosen = try workspace.ok(["review", "choose", "--top", "2", ranked[4], "--by", "刘毅"])
        #expect(chosen.components(separatedBy: "评为年度最佳事迹，已列入网站专栏。").count - 1 == 3, "\(chosen)")
        #expect(chosen.hasPrefix("\(ranked[0]) "), "\(chosen)")
        #expect(chosen.contains("（排名第 1）") && chosen.contains("（排名第 2）") && chosen.contains("（排名第 5）"))
        #expect(try workspace.ok(["review", "choose", ranked[0]]).contains("此前已评选。"))
        #expect(try workspace.ok(["show", ranked[0]]).contains("刘毅  review.chosen  评为年度最佳事迹（2018 年度最佳事迹，排名第 1）"))
        let site = workspace.directory.appendingPathComponent("site")
        _ = try workspace.ok(["publish", "build", "--to", site.path, "--base-url", "https://www.cas.cn/zt/yisuo/"])
        let index = try String(contentsOf: site.appendingPathComponent("index.html"), encoding: .utf8)
        let band = try #require(index.range(of: "<section class=\"best\">").map { String(index[$0.lowerBound...].prefix(2000)) })
        for deed in [ranked[0], ranked[1], ranked[4]] { #expect(band.contains("href=\"deeds/\(deed).html\""), "\(deed) in the band") }
        #expect(!band.contains("href=\"deeds/\(ranked[2]).html\""))
        let page = try String(contentsOf: site.appendingPathComponent("deeds/\(ranked[0]).html"), encoding: .utf8)
        #expect(page.contains("<p class=\"honour\"><span>年度最佳事迹 · 2018 年度最佳事迹</span></p>"))
        let other = try String(contentsOf: site.appendingPathComponent("deeds/\(ranked[4]).html"), encoding: .utf8)
        #expect(other.contains("class=\"honour\""))
    }

    @Test("review send: videos past max_mail_mb stay behind, named in the letter; the same list not sent twice but for --again; ingest names review mail")
    func videosLeftOut() throws {
        let config = ReviewCommandTests.review.replacingOccurrences(of: "reviewers_per_deed = 3", with: "reviewers_per_deed = 3\nmax_mail_mb = 1")
        let workspace = try ReviewCommandTests.shortlist(in: TestWorkspace(extra: config))
        defer { workspace.remove() }
        _ = try workspace.ok(["review", "assign"])
        let assigned = try ReviewCommandTests.assignment(workspace)
        let output = try workspace.ok(["review", "send", "--reviewer", "丙"])
        let deeds = assigned["丙"]!
        // YS2018-0004 and -0006 carry the two sample videos.
        let videos = ["YS2018-0004": "镜头中的最美科学家-马国栋（样片）.mp4", "YS2018-0006": "镜头中的最美科学家-自适应光学技术创新团队.mp4"]
            .filter { deeds.contains($0.key) }
        try #require(!videos.isEmpty, "丙 has a deed with a video: \(deeds)")
        #expect(output.contains("⚠ 丙：视频较大未随附（信中已列出）："), "\(output)")
        let replyId = try #require(output.split(separator: "\n").first { $0.hasPrefix("丙 ") }?.split(separator: " ").last.map(String.init))
        let letter = try workspace.ok(["reply", "preview", replyId])
        #expect(letter.contains("以下视频较大，未随本邮件附上，如需观看请与我们联系："))
        for (deed, video) in videos { #expect(letter.contains("  · \(deed) \(video)（"), "\(deed)") }
        let raw = workspace.directory.appendingPathComponent("sheet.eml")
        try Data(try workspace.ok(["reply", "preview", replyId, "--raw"]).utf8).write(to: raw)
        let archive = try #require((try Self.summary(raw)["attachments"] as! [[String: Any]]).last)
        #expect(!(archive["members"] as! [String]).contains { $0.hasSuffix(".mp4") })
        #expect(letter.contains("附件:   评分表-2018 年度最佳事迹-丙.xlsx（"), "\(letter)")
        #expect(letter.contains("附件:   评审材料-丙.zip（"))

        // The same list is not sent twice unless asked; --again sends it.
        #expect(try workspace.ok(["review", "send", "--reviewer", "丙"])
            == "未重发（评分表已发过，名单未变；需要时加 --again）：丙\n")
        #expect(try workspace.ok(["review", "send", "--reviewer", "丙", "--again"]).contains("已为 1 位评审专家准备评分表"))

        // `tuibao ingest` of 丙's reply says it was review mail and what was recorded.
        let first = deeds[0]
        let reply = workspace.directory.appendingPathComponent("reply.eml")
        try Self.reply(to: raw, from: "bing@dicp.ac.cn", scores: [first: ["事迹典型性": 8, "感染力": 7, "材料质量": 9]], in: workspace)
            .write(to: reply)
        #expect(try workspace.ok(["ingest", reply.path])
            == "reply.eml: 评审邮件 → 评分表：\(deeds.count) 件事迹，记录 3 项评分，\(deeds.count - 1) 处未能记录\n")
    }

    static func messageId(_ mail: Data) -> String? {
        let text = String(decoding: mail, as: UTF8.self)
        return text.components(separatedBy: "\r\n").first { $0.lowercased().hasPrefix("message-id:") }
            .map { String($0.dropFirst("message-id:".count)).trimmingCharacters(in: .whitespaces) }
    }

    static func number(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(value)
    }
}
