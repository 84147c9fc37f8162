import Foundation
import TestSupport
import Testing

/// `tuibao report`: the office head's page and its figures, on a filed store and an empty one,
/// opened in headless Chromium at desktop and phone widths and checked by tidy.
@Suite("The office report", .serialized)
struct ReportTests {
    static let day1 = ["TUIBAO_NOW": "2018-05-14T01:31:00Z"], day2 = ["TUIBAO_NOW": "2018-05-15T02:00:00Z"]
    static let later = ["TUIBAO_NOW": "2018-05-16T03:00:00Z"]

    /// Two days of mail: a receipt-less form, an unknown sender, an auto-reply, a forwarded
    /// duplicate, a reply with a Baidu Pan link.
    func filed() throws -> TestWorkspace {
        let workspace = try TestWorkspace()
        let first = ["01-foxmail-iphy", "03-qqmail-bigattach-dicp", "16-autoreply-iphy", "04-coremail-lzb"]
        #expect(try workspace.run(["ingest"] + first.map { TestWorkspace.sample($0).path }, environment: Self.day1).status == 0)
        let second = ["08-forward-rfc822-dicp", "17-foxmail-reply-panlink"]
        #expect(try workspace.run(["ingest"] + second.map { TestWorkspace.sample($0).path }, environment: Self.day2).status == 0)
        return workspace
    }

    func json(_ workspace: TestWorkspace) throws -> [String: Any] {
        let result = try workspace.run(["report", "--json"], environment: Self.later)
        #expect(result.status == 0, "\(result.error)")
        return try #require(try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any])
    }

    @Test("--json: totals, units, days, problems, duplicates, pending links and replies, exactly")
    func figures() throws {
        let workspace = try filed()
        defer { workspace.remove() }
        let report = try json(workspace)
        #expect(report["generatedAt"] as? String == "2018-05-16T11:00:00+08:00")
        let totals = try #require(report["totals"] as? [String: Any])
        #expect(totals["submissions"] as? Int == 4 && totals["live"] as? Int == 3)
        #expect(totals["byStatus"] as? [String: Int] == ["acknowledged": 0, "needsCorrection": 3, "alreadySubmitted": 1, "accepted": 0, "rejected": 0])
        #expect(report["messages"] as? [String: Int] == ["received": 0, "filed": 5, "ignored": 1, "failed": 0])
        #expect((report["unregistered"] as? [String: Int])?["needsCorrection"] == 1)
        let units = try #require(report["units"] as? [[String: Any]])
        #expect(units.count == 157)
        let sent = units.filter { ($0["byStatus"] as? [String: Int])?.values.reduce(0, +) ?? 0 > 0 }
        #expect(sent.map { $0["name"] as? String } == ["中国科学院物理研究所", "中国科学院大连化学物理研究所", "中国科学院兰州分院"])
        #expect(sent.map { $0["live"] as? Int } == [1, 0, 1])  // a duplicate alone is not a live submission
        let days = try #require(report["perDay"] as? [[String: Any]])
        #expect(days.map { "\($0["day"]!)=\($0["submissions"]!)" } == ["2018-05-14=3", "2018-05-15=1"])
        let problems = try #require(report["problems"] as? [[String: Any]])
        #expect(problems.prefix(3).map { "\($0["code"]!)=\($0["submissions"]!)" } == ["image.tooSmall=3", "video.pendingLink=3", "form.missing=2"])
        #expect(problems.first?["label"] as? String == "图片小于 1 MB")
        let duplicates = try #require(report["duplicates"] as? [[String: Any]])
        #expect(duplicates.map { "\($0["trackingNumber"]!)→\($0["matched"]!) \($0["code"]!)" } == ["YS2018-0004→YS2018-0002 duplicate.thisCampaign"])
        let pending = try #require(report["pendingLinks"] as? [[String: Any]])
        #expect(pending.map { $0["trackingNumber"] as? String } == ["YS2018-0001", "YS2018-0002", "YS2018-0003"])
        let firstLink = try #require((pending.first?["links"] as? [[String: Any]])?.first)
        #expect(firstLink["url"] as? String == "https://pan.baidu.com/s/1Tq8WmZ3xR5nK7bY2cJ9vLg?pwd=h7k2" && firstLink["code"] as? String == "h7k2")
        #expect(report["replies"] as? [String: Int] == ["queued": 5, "sent": 0, "suppressed": 0, "failed": 0])
    }

    @Test("an empty store: zeros, no days, every unit without a live submission")
    func emptyStore() throws {
        let workspace = try TestWorkspace()
        defer { workspace.remove() }
        let report = try json(workspace)
        #expect((report["totals"] as? [String: Any])?["submissions"] as? Int == 0)
        #expect((report["perDay"] as? [Any])?.isEmpty == true && (report["duplicates"] as? [Any])?.isEmpty == true)
        #expect((report["units"] as? [[String: Any]])?.allSatisfy { $0["live"] as? Int == 0 } == true)
        let page = workspace.directory.appendingPathComponent("空.html")
        #expect(try workspace.run(["report", "--html", "-o", page.path], environment: Self.later).status == 0)
        let html = try String(contentsOf: page, encoding: .utf8)
        #expect(html.contains("<p>尚未收到推报。</p>") && html.contains("名录共 157 个单位，<strong>157 个尚无有效推报</strong>"))
    }

    @Test("--html: one self-contained page that Chromium shows without errors at 1280 and 390 px; tidy finds no errors")
    func pageInABrowser() throws {
        try #require(HeadlessBrowser.available, "chromium is installed by scripts/bootstrap")
        let workspace = try filed()
        defer { workspace.remove() }
        let page = workspace.directory.appendingPathComponent("活动报表.html")
        let result = try workspace.run(["report", "--html", "-o", page.path], environment: Self.later)
        #expect(result.status == 0 && result.output == "已写出活动报表 → \(page.path)（推报 4 件，155 个单位尚无有效推报）\n")
        let html = try String(contentsOf: page, encoding: .utf8)
        // Self-contained: nothing fetched, nothing run.
        #expect(!html.contains("<script") && !html.contains("src=") && !html.contains("<link") && !html.contains("@import"))
        #expect(html.contains("@page { size: A4 landscape;"))

        let tidy = try #require(TestProcess.which("tidy"))
        let checked = try TestProcess.run(tidy, ["-e", "-q", page.path])
        #expect(checked.status == 0, "\(checked.error)")  // 1: warnings, 2: errors

        let artifacts = try HeadlessBrowser.artifactDirectory()
        for (width, name) in [(1280, "report-desktop.png"), (390, "report-phone.png")] {
            let shown = try HeadlessBrowser.open(page, width: width, height: 900, screenshot: artifacts.appendingPathComponent(name))
            #expect(shown.consoleErrors == [] && shown.failedRequests == [], "\(width)")
            #expect(shown.scrollWidth <= width, "no sideways scrolling at \(width): \(shown.scrollWidth)")
            #expect(shown.cjkFont)
            #expect(shown.title == "一所一人一事（2018） · 活动报表")
            #expect(shown.text.contains("各单位报送情况") && shown.text.contains("中国科学院兰州分院") && shown.text.contains("本期重复报送"))
            #expect(shown.text.contains("https://pan.baidu.com/s/1Tq8WmZ3xR5nK7bY2cJ9vLg?pwd=h7k2"))
            #expect(try Data(contentsOf: artifacts.appendingPathComponent(name)).count > 10_000)
        }
    }

    @Test("the demo's store (all 43 samples): the page in Chromium at both widths, tidy, figures that add up")
    func demoStore() throws {
        try #require(HeadlessBrowser.available, "chromium is installed by scripts/bootstrap")
        let workspace = try TestWorkspace()
        defer { workspace.remove() }
        let samples = try FileManager.default.contentsOfDirectory(atPath: TestWorkspace.repositoryRoot.appendingPathComponent("Samples/mail").path)
            .filter { $0.hasSuffix(".eml") }.sorted().map { TestWorkspace.repositoryRoot.appendingPathComponent("Samples/mail/\($0)").path }
        #expect(samples.count == 43)
        #expect(try workspace.run(["ingest"] + samples, environment: Self.day1).status == 0)
        let report = try json(workspace)
        let totals = try #require(report["totals"] as? [String: Any])
        // As the demo: 41 of 43 mails filed (the auto-reply and the bounce are not), 42 submissions.
        #expect(report["messages"] as? [String: Int] == ["received": 0, "filed": 41, "ignored": 2, "failed": 0])
        let byStatus = try #require(totals["byStatus"] as? [String: Int])
        #expect(byStatus.values.reduce(0, +) == totals["submissions"] as? Int)
        let units = try #require(report["units"] as? [[String: Any]])
        let perUnit = units.compactMap { ($0["byStatus"] as? [String: Int])?.values.reduce(0, +) }.reduce(0, +)
        #expect(perUnit + ((report["unregistered"] as? [String: Int])?.values.reduce(0, +) ?? 0) == totals["submissions"] as? Int)
        let page = workspace.directory.appendingPathComponent("demo.html")
        #expect(try workspace.run(["report", "--html", "-o", page.path], environment: Self.later).status == 0)
        let tidy = try #require(TestProcess.which("tidy"))
        #expect(try TestProcess.run(tidy, ["-e", "-q", page.path]).status == 0)
        let artifacts = try HeadlessBrowser.artifactDirectory()
        for width in [1280, 390] {
            let shown = try HeadlessBrowser.open(page, width: width, height: 900, screenshot: artifacts.appendingPathComponent("report-demo-\(width).png"))
            #expect(shown.consoleErrors == [] && shown.failedRequests == [] && shown.scrollWidth <= width, "\(width)")
            #expect(shown.text.contains("待下载的视频链接") && shown.text.contains("本期重复报送"))
        }
    }

    @Test("printed by Chromium: A4 landscape, the unit table's header repeated on every page it runs over")
    func printsOnA4Landscape() throws {
        try #require(HeadlessBrowser.available, "chromium is installed by scripts/bootstrap")
        let workspace = try filed()
        defer { workspace.remove() }
        let page = workspace.directory.appendingPathComponent("report.html"), pdf = workspace.directory.appendingPathComponent("report.pdf")
        #expect(try workspace.run(["report", "--html", "-o", page.path], environment: Self.later).status == 0)
        let chromium = try #require(TestProcess.which("chromium") ?? TestProcess.which("chromium-browser"))
        let printed = try TestProcess.run(chromium, ["--headless=new", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
                                                     "--print-to-pdf=\(pdf.path)", page.absoluteString])
        #expect(printed.status == 0, "\(printed.error)")
        let info = try TestProcess.run(try #require(TestProcess.which("pdfinfo")), [pdf.path]).output
        #expect(info.contains("Page size:       841.92 x 59"), "\(info)")  // A4 turned: 297 × 210 mm
        let pages = try #require(info.split(separator: "\n").first { $0.hasPrefix("Pages:") }.flatMap { Int($0.split(separator: " ").last!) })
        #expect(pages >= 3)  // 157 units do not fit one page
        let pdftotext = try #require(TestProcess.which("pdftotext"))
        var pagesWithUnits = 0
        for number in 1...pages {
            let text = try TestProcess.run(pdftotext, ["-layout", "-f", "\(number)", "-l", "\(number)", pdf.path, "-"]).output
            guard text.contains("中国科学院") && text.contains("尚无") else { continue }
            pagesWithUnits += 1
            #expect(text.contains("不采纳") && text.contains("有效"), "page \(number) repeats the table's header")
        }
        #expect(pagesWithUnits >= 2)
    }

    @Test("names from the registry and links from mail are escaped: shown as text, never markup")
    func escaped() throws {
        let workspace = try TestWorkspace()
        defer { workspace.remove() }
        let units = workspace.directory.appendingPathComponent("units.toml")
        try """
            [[unit]]
            name = "中国科学院<script>alert(1)</script>所 & 站"
            aliases = []
            domains = ["iphy.ac.cn"]

            """.write(to: units, atomically: true, encoding: .utf8)
        let config = try String(contentsOf: workspace.configFile, encoding: .utf8)
            .replacingOccurrences(of: #"units_file = "[^"]*""#, with: "units_file = \"\(units.path)\"", options: .regularExpression)
        try config.write(to: workspace.configFile, atomically: true, encoding: .utf8)
        #expect(try workspace.run(["ingest", TestWorkspace.sample("01-foxmail-iphy").path], environment: Self.day1).status == 0)
        let html = try workspace.run(["report", "--html", "-o", "-"], environment: Self.later).output
        #expect(html.contains("中国科学院&lt;script&gt;alert(1)&lt;/script&gt;所 &amp; 站"))
        #expect(!html.contains("<script>"))
    }
}
