import Foundation
import TestSupport
import Testing

/// The website column (`tuibao publish …`) as staff run it, checked the way readers meet it: every
/// page opened in headless Chromium at desktop and phone widths (console errors, failed requests,
/// images, Chinese text, sideways scrolling, screenshots kept in .build/test-artifacts), the HTML
/// through `tidy`, the Atom feed and the sitemap through Python's xml.etree.
@Suite("Website column", .serialized)
struct PublishCommandTests {
    static let now = ["TUIBAO_NOW": "2018-05-14T01:31:00Z"]

    func ingested(_ samples: [String]) throws -> TestWorkspace {
        let workspace = try TestWorkspace()
        let result = try workspace.run(["ingest"] + samples.map { TestWorkspace.sample($0).path }, environment: Self.now)
        #expect(result.status == 0, "\(result.error)")
        return workspace
    }

    @discardableResult
    func run(_ workspace: TestWorkspace, _ arguments: [String], at time: String = "2018-06-01T02:00:00Z") throws -> String {
        let result = try workspace.run(arguments, environment: ["TUIBAO_NOW": time, "USER": "xcb-web", "SUDO_USER": ""])
        #expect(result.status == 0, "\(arguments): \(result.error)")
        return result.output
    }

    @discardableResult
    func build(_ workspace: TestWorkspace, _ site: URL) throws -> String {
        try run(workspace, ["publish", "build", "--to", site.path, "--base-url", "https://www.cas.cn/zt/yisuo/"])
    }

    /// Every regular file of the site (paths inside it) with its modification time and bytes.
    func snapshot(_ site: URL) throws -> [String: (modified: Date, data: Data)] {
        var files: [String: (Date, Data)] = [:]
        let enumerator = FileManager.default.enumerator(at: site, includingPropertiesForKeys: [.contentModificationDateKey, .isRegularFileKey])!
        for case let url as URL in enumerator {
            let values = try url.resourceValues(forKeys: [.contentModificationDateKey, .isRegularFileKey])
            guard values.isRegularFile == true else { continue }
            let path = String(url.standardizedFileURL.path.dropFirst(site.standardizedFileURL.path.count + 1))
            files[path] = (values.contentModificationDate!, try Data(contentsOf: url))
        }
        return files
    }

    /// Opens a page at 1280 and 390 px: no console error, no failed request, every image
    /// loaded, the Chinese text there and rendered with a CJK font, no sideways scroll on a phone.
    /// Returns the links of the page (resolved), which all point at existing files when local.
    @discardableResult
    func checkInBrowser(_ page: URL, name: String, expecting texts: [String]) throws -> [String] {
        guard HeadlessBrowser.available else {
            Issue.record("chromium is not installed (scripts/bootstrap installs it)")
            return []
        }
        var links: [String] = []
        for width in [1280, 390] {
            let shot = try HeadlessBrowser.artifactDirectory().appendingPathComponent("publish-\(name)-\(width).png")
            let report = try HeadlessBrowser.open(page, width: width, height: width < 600 ? 844 : 800, screenshot: shot)
            #expect(report.consoleErrors.isEmpty, "\(name) @\(width): \(report.consoleErrors)")
            #expect(report.failedRequests.isEmpty, "\(name) @\(width): \(report.failedRequests)")
            #expect(report.images.allSatisfy { $0.loaded }, "\(name) @\(width): \(report.images.filter { !$0.loaded })")
            #expect(report.cjkFont, "\(name): no CJK font")
            for text in texts { #expect(report.text.contains(text), "\(name) @\(width): no “\(text)”") }
            if width == 390 { #expect(report.scrollWidth <= 390, "\(name) scrolls sideways at 390 px: \(report.scrollWidth)") }
            #expect(FileManager.default.fileExists(atPath: shot.path))
            links = report.links
        }
        for link in links {
            guard let url = URL(string: link), url.isFileURL else { continue }
            #expect(FileManager.default.fileExists(atPath: url.path), "\(name) links to a missing file: \(link)")
        }
        return links
    }

    /// `tidy -e -q`: the errors it reports (warnings are left to the website team).
    func tidyErrors(_ file: URL) throws -> [String] {
        let tidy = try #require(TestProcess.which("tidy"), "tidy is not installed (scripts/bootstrap installs it)")
        let result = try TestProcess.run(tidy, ["-e", "-q", file.path])
        #expect(result.status < 2, "tidy exit \(result.status) for \(file.lastPathComponent): \(result.error)")
        return result.error.split(separator: "\n").map(String.init).filter { $0.contains("Error:") }
    }

    /// The Atom feed read by Python's xml.etree: its updated time and each entry's title, link, id.
    func feedEntries(_ feed: URL) throws -> (updated: String, entries: [[String]]) {
        let script = """
            import json, sys, xml.etree.ElementTree as ET
            A = "{http://www.w3.org/2005/Atom}"
            root = ET.parse(sys.argv[1]).getroot()
            assert root.tag == A + "feed", root.tag
            for required in ("id", "title", "updated", "author"):
                assert root.find(A + required) is not None, required
            entries = []
            for e in root.findall(A + "entry"):
                for required in ("id", "title", "updated", "link"):
                    assert e.find(A + required) is not None, required
                entries.append([e.find(A + "title").text, e.find(A + "link").get("href"), e.find(A + "id").text])
            print(json.dumps({"updated": root.find(A + "updated").text, "entries": entries}, ensure_ascii=False))
            """
        let result = try TestProcess.run(URL(fileURLWithPath: "/usr/bin/python3"), ["-c", script, feed.path])
        #expect(result.status == 0, "feed does not parse: \(result.error)")
        struct Feed: Decodable { var updated: String; var entries: [[String]] }
        let parsed = try JSONDecoder().decode(Feed.self, from: Data(result.output.utf8))
        return (parsed.updated, parsed.entries)
    }

    func sitemapLocations(_ sitemap: URL) throws -> [String] {
        let script = """
            import sys, xml.etree.ElementTree as ET
            S = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
            root = ET.parse(sys.argv[1]).getroot()
            assert root.tag == S + "urlset", root.tag
            for u in root.findall(S + "url"): print(u.find(S + "loc").text)
            """
        let result = try TestProcess.run(URL(fileURLWithPath: "/usr/bin/python3"), ["-c", script, sitemap.path])
        #expect(result.status == 0, "sitemap does not parse: \(result.error)")
        return result.output.split(separator: "\n").map(String.init)
    }

    @Test("two deeds published: index and pages pass in Chromium at 1280 and 390 px, tidy, the feed and the sitemap")
    func twoDeedsInBrowser() throws {
        let workspace = try ingested(["21-foxmail-complete-ciomp", "41-coremail-portrait-video-lzb"])
        defer { workspace.remove() }
        try run(workspace, ["decide", "YS2018-0002", "accepted", "--note", "视频合格，采纳"])
        let added = try run(workspace, ["publish", "add", "YS2018-0001", "YS2018-0002"])
        #expect(added.contains("YS2018-0001 已加入专栏"))
        let show = try run(workspace, ["show", "YS2018-0001"])
        #expect(show.contains("deed.published"), "the mark is logged")

        let site = workspace.directory.appendingPathComponent("site")
        let output = try build(workspace, site)
        #expect(output.contains("专栏共 2 篇"), "\(output)")
        for path in ["index.html", "style.css", "feed.xml", "sitemap.xml", "deeds/YS2018-0001.html", "deeds/YS2018-0002.html"] {
            #expect(FileManager.default.fileExists(atPath: site.appendingPathComponent(path).path), "\(path)")
        }
        let media = try FileManager.default.contentsOfDirectory(atPath: site.appendingPathComponent("media").path).sorted()
        // The 1400×1050 photo at 480, 960 and its own 1400 px, plus the original; the video and its poster.
        #expect(media.filter { $0.hasSuffix("-480.jpg") || $0.hasSuffix("-960.jpg") || $0.hasSuffix("-1400.jpg") }.count == 3, "\(media)")
        #expect(media.filter { $0.hasSuffix("-poster.jpg") }.count == 1 && media.filter { $0.hasSuffix(".mp4") }.count == 1, "\(media)")
        #expect(media.allSatisfy { $0.allSatisfy { $0.isASCII && ($0.isHexDigit || "-.".contains($0) || $0.isLetter || $0.isNumber) } })

        let page1 = try String(contentsOf: site.appendingPathComponent("deeds/YS2018-0001.html"), encoding: .utf8)
        #expect(page1.contains("srcset=\"../media/") && page1.contains(" 480w, ") && page1.contains("查看原图"))
        #expect(page1.contains("把“慧眼”送上太空") && page1.contains("孙启航"))
        #expect(page1.components(separatedBy: "<p>").count > 10, "the essay as paragraphs")
        let page2 = try String(contentsOf: site.appendingPathComponent("deeds/YS2018-0002.html"), encoding: .utf8)
        #expect(page2.contains("<video") && page2.contains("poster=\"../media/") && page2.contains("type=\"video/mp4\""))

        let index = site.appendingPathComponent("index.html")
        let links = try checkInBrowser(index, name: "index", expecting: ["个人", "孙启航", "沈冰洁", "把“慧眼”送上太空"])
        #expect(links.contains { $0.hasSuffix("deeds/YS2018-0001.html") } && links.contains { $0.hasSuffix("deeds/YS2018-0002.html") })
        let back1 = try checkInBrowser(site.appendingPathComponent("deeds/YS2018-0001.html"), name: "YS2018-0001",
                                       expecting: ["把“慧眼”送上太空", "孙启航", "长春光学精密机械与物理研究所"])
        #expect(back1.contains { $0.hasSuffix("/index.html") })
        try checkInBrowser(site.appendingPathComponent("deeds/YS2018-0002.html"), name: "YS2018-0002", expecting: ["沈冰洁"])

        for page in ["index.html", "deeds/YS2018-0001.html", "deeds/YS2018-0002.html"] {
            #expect(try tidyErrors(site.appendingPathComponent(page)) == [], "\(page)")
        }
        let feed = try feedEntries(site.appendingPathComponent("feed.xml"))
        #expect(Set(feed.entries.map { $0[1] }) == ["https://www.cas.cn/zt/yisuo/deeds/YS2018-0001.html",
                                                     "https://www.cas.cn/zt/yisuo/deeds/YS2018-0002.html"])
        #expect(feed.entries.allSatisfy { $0[2].hasPrefix("urn:uuid:") })
        #expect(feed.updated == "2018-06-01T10:00:00+08:00")
        #expect(try sitemapLocations(site.appendingPathComponent("sitemap.xml")).count == 3)
    }

    @Test("rebuild after adding a third and removing one: stable URLs, feed updated, page gone, untouched files untouched")
    func rebuildInPlace() throws {
        let workspace = try ingested(["21-foxmail-complete-ciomp", "41-coremail-portrait-video-lzb", "39-thunderbird-pasted-essay-pmo"])
        defer { workspace.remove() }
        try run(workspace, ["decide", "YS2018-0003", "accepted", "--note", "材料齐全"])
        try run(workspace, ["publish", "add", "YS2018-0001", "YS2018-0002"])
        let site = workspace.directory.appendingPathComponent("site")
        try build(workspace, site)
        let before = try snapshot(site)

        // Nothing changed: nothing is written.
        let again = try build(workspace, site)
        #expect(again.contains("写入 0 个文件"), "\(again)")
        let same = try snapshot(site)
        #expect(same.keys == before.keys && same.allSatisfy { before[$0.key]!.modified == $0.value.modified })

        try run(workspace, ["publish", "add", "YS2018-0003"], at: "2018-06-02T02:00:00Z")
        try run(workspace, ["publish", "remove", "YS2018-0001"], at: "2018-06-02T03:00:00Z")
        let output = try build(workspace, site)
        #expect(output.contains("删除 deeds/YS2018-0001.html"), "\(output)")
        let after = try snapshot(site)

        #expect(after["deeds/YS2018-0001.html"] == nil, "the removed deed's page is deleted")
        #expect(after["deeds/YS2018-0002.html"] != nil && after["deeds/YS2018-0003.html"] != nil, "stable URLs by tracking number")
        // Every file whose bytes did not change kept its modification time (not rewritten):
        // the second deed's page, the stylesheet, the video, its poster, the shared photo's sizes.
        var untouched = 0
        for (path, file) in after {
            guard let old = before[path], old.data == file.data else { continue }
            #expect(old.modified == file.modified, "\(path) was rewritten")
            untouched += 1
        }
        for path in ["deeds/YS2018-0002.html", "style.css"] { #expect(before[path]!.modified == after[path]!.modified, "\(path)") }
        #expect(after.keys.filter { $0.hasPrefix("media/") && before[$0] != nil }.count >= 5, "media made once, kept")
        #expect(untouched >= 7)
        #expect(before["index.html"]!.data != after["index.html"]!.data && before["feed.xml"]!.data != after["feed.xml"]!.data)

        let index = String(decoding: after["index.html"]!.data, as: UTF8.self)
        #expect(!index.contains("YS2018-0001.html") && index.contains("YS2018-0003.html"))
        let feed = try feedEntries(site.appendingPathComponent("feed.xml"))
        #expect(feed.entries.map { $0[1] } == ["https://www.cas.cn/zt/yisuo/deeds/YS2018-0003.html",
                                               "https://www.cas.cn/zt/yisuo/deeds/YS2018-0002.html"], "newest first")
        #expect(feed.updated == "2018-06-02T11:00:00+08:00", "the feed is as new as the last change, the removal")
        let locations = try sitemapLocations(site.appendingPathComponent("sitemap.xml"))
        #expect(!locations.contains { $0.contains("YS2018-0001") } && locations.contains { $0.hasSuffix("YS2018-0003.html") })

        // The pasted essay of 39 is the deed's text; the page passes in the browser.
        let page3 = String(decoding: after["deeds/YS2018-0003.html"]!.data, as: UTF8.self)
        #expect(page3.components(separatedBy: "<p>").count > 5)
        try checkInBrowser(site.appendingPathComponent("deeds/YS2018-0003.html"), name: "YS2018-0003", expecting: ["暗物质粒子探测卫星科学应用团队"])
        try checkInBrowser(site.appendingPathComponent("index.html"), name: "index-rebuilt", expecting: ["团队", "个人"])
        #expect(try tidyErrors(site.appendingPathComponent("deeds/YS2018-0003.html")) == [])
    }

    @Test("a title and essay carrying <script> and & are shown as text, in the page and the feed")
    func hostileTextIsEscaped() throws {
        let workspace = try TestWorkspace()
        defer { workspace.remove() }
        let title = "<script>alert(\"title\")</script> & 慧眼"
        let form = try formDocx(in: workspace, title: title)
        let line = "他在实验室里日夜攻关，带领团队取得了重要突破，为国家作出了贡献。"
        let essay = (["征文：<script>alert('essay')</script> 科研 & 奉献"]
                     + (0..<24).map { _ in String(repeating: line, count: 3) } + ["结语 A & B <b>不是粗体</b>"]).joined(separator: "\n")
        let mail = try multipartMail(in: workspace, name: "hostile.eml", parts: [
            ("附件1 推报表.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", try Data(contentsOf: form)),
            ("征文.txt", "text/plain; charset=utf-8", Data(essay.utf8)),
            ("照片.jpg", "image/jpeg", try Data(contentsOf: TestWorkspace.repositoryRoot.appendingPathComponent("Samples/files/photo-big-1400x1050.jpg"))),
        ])
        #expect(try workspace.run(["ingest", mail.path], environment: Self.now).status == 0)
        let listed = try run(workspace, ["queue", "--json"])
        if !listed.contains("\"acknowledged\"") {
            try run(workspace, ["decide", "YS2018-0001", "accepted", "--note", "测试"])
        }
        try run(workspace, ["publish", "add", "YS2018-0001"])
        let site = workspace.directory.appendingPathComponent("site")
        try build(workspace, site)

        let pageURL = site.appendingPathComponent("deeds/YS2018-0001.html")
        let page = try String(contentsOf: pageURL, encoding: .utf8)
        #expect(!page.contains("<script") && !page.contains("<b>"), "no markup from the mail")
        #expect(page.contains("&lt;script&gt;alert(&quot;title&quot;)&lt;/script&gt; &amp; 慧眼"))
        #expect(page.contains("&lt;script&gt;alert(&#39;essay&#39;)&lt;/script&gt; 科研 &amp; 奉献"))
        let index = try String(contentsOf: site.appendingPathComponent("index.html"), encoding: .utf8)
        #expect(!index.contains("<script") && index.contains("&lt;script&gt;"))
        try checkInBrowser(pageURL, name: "hostile", expecting: [title, "<script>alert('essay')</script> 科研 & 奉献", "<b>不是粗体</b>"])
        try checkInBrowser(site.appendingPathComponent("index.html"), name: "hostile-index", expecting: [title])
        #expect(try tidyErrors(pageURL) == [])
        let feed = try feedEntries(site.appendingPathComponent("feed.xml"))
        #expect(feed.entries.map { $0[0] } == [title], "the feed's title is the text, escaped once")
    }

    @Test("a deed with only a video link shows the link and its code, no player")
    func videoLinkOnly() throws {
        let workspace = try ingested(["36-coremail-leader-cstcloud-impcas"])
        defer { workspace.remove() }
        try run(workspace, ["publish", "add", "YS2018-0001"])
        let site = workspace.directory.appendingPathComponent("site")
        try build(workspace, site)
        let pageURL = site.appendingPathComponent("deeds/YS2018-0001.html")
        let page = try String(contentsOf: pageURL, encoding: .utf8)
        #expect(!page.contains("<video") && !page.contains("<img"))
        #expect(page.contains("中国科技云盘") && page.contains("提取码：8m3q"))
        let links = try checkInBrowser(pageURL, name: "video-link", expecting: ["郑海涛", "中国科技云盘", "8m3q"])
        #expect(links.contains { $0.hasPrefix("https://") && !$0.contains("cas.cn/zt") }, "\(links)")
        #expect(try tidyErrors(pageURL) == [])
        try checkInBrowser(site.appendingPathComponent("index.html"), name: "video-link-index", expecting: ["郑海涛"])
    }

    @Test("only acknowledged or accepted deeds can be marked; remove needs a mark; list --json follows its schema")
    func marksAndErrors() throws {
        let workspace = try ingested(["01-foxmail-iphy", "21-foxmail-complete-ciomp"])
        defer { workspace.remove() }
        let refused = try workspace.run(["publish", "add", "YS2018-0002", "YS2018-0001"])
        #expect(refused.status == 1)
        #expect(refused.error.contains("YS2018-0001 的状态是“待补正”") && refused.error.contains("只有已受理或已采纳"), "\(refused.error)")
        #expect(try run(workspace, ["publish", "list"]).contains("还没有"), "all or nothing: YS2018-0002 was not marked either")
        let notMarked = try workspace.run(["publish", "remove", "YS2018-0002"])
        #expect(notMarked.status == 1 && notMarked.error.contains("不在专栏中"), "\(notMarked.error)")
        #expect(try workspace.run(["publish", "add", "YS2099-0001"]).status == 1)

        try run(workspace, ["publish", "add", "YS2018-0002"])
        #expect(try run(workspace, ["publish", "add", "YS2018-0002"]).contains("已在专栏中"))
        try run(workspace, ["decide", "YS2018-0002", "rejected", "--note", "不符合要求"])
        let table = try run(workspace, ["publish", "list"])
        #expect(table.contains("YS2018-0002") && table.contains("不发布"))
        let json = try run(workspace, ["publish", "list", "--json"])
        #expect(json.contains("\"publishable\" : false") && json.contains("\"publishedBy\" : \"xcb-web\""), "\(json)")
        #expect(try schemaErrors(json, as: "publishList") == [])
        let site = workspace.directory.appendingPathComponent("site")
        let output = try build(workspace, site)
        #expect(output.contains("未发布 YS2018-0002") && output.contains("专栏共 0 篇"), "\(output)")
        #expect(!FileManager.default.fileExists(atPath: site.appendingPathComponent("deeds/YS2018-0002.html").path))
        #expect(try feedEntries(site.appendingPathComponent("feed.xml")).entries.isEmpty)
    }

    // MARK: Mails made for the tests

    func schemaErrors(_ json: String, as name: String) throws -> [String] {
        let schema = TestWorkspace.repositoryRoot.appendingPathComponent("Schemas/tuibao-json.schema.json")
        let script = """
            import json, sys, jsonschema
            schema = json.load(open(sys.argv[1]))
            validator = jsonschema.Draft202012Validator({**schema, "$ref": "#/$defs/" + sys.argv[2]})
            for e in validator.iter_errors(json.loads(sys.stdin.read())): print(list(e.absolute_path), e.message)
            """
        let result = try TestProcess.run(URL(fileURLWithPath: "/usr/bin/python3"), ["-c", script, schema.path, name], input: Data(json.utf8))
        #expect(result.status == 0, "\(result.error)")
        return result.output.split(separator: "\n").map(String.init)
    }

    /// The sample form of 21 (孙启航, 长春光机所) with another 事迹标题, rewritten with Python's zipfile.
    func formDocx(in workspace: TestWorkspace, title: String) throws -> URL {
        let source = TestWorkspace.repositoryRoot.appendingPathComponent("Samples/files/form-ciomp.docx")
        let target = workspace.directory.appendingPathComponent("form.docx")
        let script = """
            import sys, zipfile
            from xml.sax.saxutils import escape
            src, dst, title = sys.argv[1], sys.argv[2], sys.argv[3]
            with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
                for item in zin.infolist():
                    data = zin.read(item.filename)
                    if item.filename == "word/document.xml":
                        old = "把“慧眼”送上太空".encode()
                        assert old in data
                        data = data.replace(old, escape(title, {'"': "&quot;"}).encode())
                    zout.writestr(item, data)
            """
        let result = try TestProcess.run(URL(fileURLWithPath: "/usr/bin/python3"), ["-c", script, source.path, target.path, title])
        #expect(result.status == 0, "\(result.error)")
        return target
    }

    /// A multipart/mixed mail from 长春光机所's office with the given files (base64, UTF-8 names).
    func multipartMail(in workspace: TestWorkspace, name: String, parts: [(String, String, Data)]) throws -> URL {
        let boundary = "----=_Part_tuibao_publish_test"
        func word(_ text: String) -> String { "=?utf-8?B?\(Data(text.utf8).base64EncodedString())?=" }
        var lines = [
            "From: \(word("长春光机所党委办公室")) <dangban@ciomp.ac.cn>", "To: xcb@cashq.ac.cn",
            "Subject: \(word("【一所一人一事】长春光机所推报材料（测试）"))", "Date: Mon, 14 May 2018 09:30:00 +0800",
            "Message-ID: <publish-test-\(UUID().uuidString)@ciomp.ac.cn>", "MIME-Version: 1.0",
            "Content-Type: multipart/mixed; boundary=\"\(boundary)\"", "",
            "--\(boundary)", "Content-Type: text/plain; charset=utf-8", "Content-Transfer-Encoding: 8bit", "",
            "各位老师好，附件是推报材料。", "",
        ]
        for (filename, type, data) in parts {
            lines += ["--\(boundary)", "Content-Type: \(type); name=\"\(word(filename))\"", "Content-Transfer-Encoding: base64",
                      "Content-Disposition: attachment; filename=\"\(word(filename))\"", ""]
            lines += data.base64EncodedString(options: [.lineLength76Characters, .endLineWithCarriageReturn, .endLineWithLineFeed])
                .components(separatedBy: "\r\n")
            lines.append("")
        }
        lines += ["--\(boundary)--", ""]
        let url = workspace.directory.appendingPathComponent(name)
        try Data(lines.joined(separator: "\r\n").utf8).write(to: url)
        return url
    }
}
