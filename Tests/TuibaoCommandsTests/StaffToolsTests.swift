import Foundation
import TestSupport
import Testing

/// The staff CLI as the office uses it: one JSON contract (checked by an independent JSON
/// Schema validator), one clock, one-line errors with the right exit status, and tables that
/// fit the terminal. Every command runs as a process.
@Suite("Staff tools people trust", .serialized)
struct StaffToolsTests {
    static let now = ["TUIBAO_NOW": "2018-05-14T01:31:00Z"]  // 09:31 Beijing time
    static let schema = TestWorkspace.repositoryRoot.appendingPathComponent("Schemas/tuibao-json.schema.json")

    func ingested(_ samples: [String]) throws -> TestWorkspace {
        let workspace = try TestWorkspace()
        let result = try workspace.run(["ingest"] + samples.map { TestWorkspace.sample($0).path }, environment: Self.now)
        #expect(result.status == 0, "\(result.error)")
        return workspace
    }

    /// Validates `json` against the schema's definition `name` with Python's jsonschema; the
    /// errors it reports, empty when valid.
    func schemaErrors(_ json: String, as name: String) throws -> [String] {
        let python = URL(fileURLWithPath: "/usr/bin/python3")  // Debian's, where apt puts python3-jsonschema
        let script = """
            import json, sys, jsonschema
            schema = json.load(open(sys.argv[1])); name = sys.argv[2]; text = sys.stdin.read()
            docs = [json.loads(l) for l in text.splitlines() if l.strip()] if name == "ingest" else [json.loads(text)]
            validator = jsonschema.Draft202012Validator({**schema, "$ref": "#/$defs/" + name})
            for d in docs:
                for e in validator.iter_errors(d): print(list(e.absolute_path), e.message)
            """
        let result = try TestProcess.run(python, ["-c", script, Self.schema.path, name], input: Data(json.utf8))
        #expect(result.status == 0, "\(result.error)")
        return result.output.split(separator: "\n").map(String.init)
    }

    @Test("every --json validates against Schemas/tuibao-json.schema.json")
    func everyJSONMatchesItsSchema() throws {
        let workspace = try TestWorkspace()
        defer { workspace.remove() }
        let samples = ["01-foxmail-iphy", "05-163-gb18030-names", "06-wps-rfc2231-gbk", "16-autoreply-iphy"].map { TestWorkspace.sample($0).path }
        let ingest = try workspace.run(["ingest", "--json"] + samples, environment: Self.now)
        #expect(try schemaErrors(ingest.output, as: "ingest") == [])
        #expect(try workspace.run(["decide", "YS2018-0001", "accepted", "--note", "材料齐全"]).status == 0)
        let commands: [(String, [String])] = [
            ("queue", ["queue", "--json"]), ("queueFailed", ["queue", "--failed", "--json"]),
            ("show", ["show", "YS2018-0001", "--json"]), ("outbox", ["outbox", "--all", "--json"]),
            ("status", ["status", "--json"]), ("stats", ["stats", "--json"]), ("units", ["units", "--json"]),
            ("campaignList", ["campaign", "list", "--json"]), ("dupes", ["dupes", "YS2018-0001", "--json"]),
            ("messages", ["messages", "--json"]), ("check", ["check", samples[0], "--json"]),
            ("search", ["search", "韩思远", "--json"]),
        ]
        for (name, arguments) in commands {
            let result = try workspace.run(arguments)
            #expect(result.status == 0, "\(arguments): \(result.error)")
            #expect(try schemaErrors(result.output, as: name) == [], "\(arguments)")
        }
    }

    @Test("JSON keeps absent values as null and gives times in the campaign's zone with offset")
    func nullsAndTimestamps() throws {
        let workspace = try ingested(["05-163-gb18030-names"])
        defer { workspace.remove() }
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(try workspace.run(["queue", "--json"]).output.utf8)) as? [[String: Any]])
        let row = try #require(rows.first)
        #expect(row["createdAt"] as? String == "2018-05-14T09:31:00+08:00")
        #expect(row["nominee"] is NSNull && row["category"] is NSNull && row["unit"] is NSNull)
        #expect(row.keys.sorted() == ["assignee", "category", "createdAt", "errors", "files", "id", "nominee", "senderAddress", "senderName", "status",
                                      "statusLabel", "title", "trackingNumber", "unit", "updatedAt", "versions", "warnings"])
        // Another zone in the configuration moves every time shown, in JSON and in tables.
        try workspace.appendToConfig("timezone = \"Europe/Berlin\"\n", atTop: true)
        let berlin = try #require(try JSONSerialization.jsonObject(with: Data(try workspace.run(["queue", "--json"]).output.utf8)) as? [[String: Any]])
        #expect(berlin.first?["createdAt"] as? String == "2018-05-14T03:31:00+02:00")
        let table = try workspace.run(["queue"]).output
        #expect(table.contains("2018-05-14 03:31") && table.hasSuffix("时间为Europe/Berlin。\n"))
    }

    @Test("bad input: one line naming what to fix, exit 1 (usage errors 64); nothing of Foundation's")
    func badInputIsOneLine() throws {
        let workspace = try ingested(["01-foxmail-iphy"])
        defer { workspace.remove() }
        let folder = workspace.directory.path
        let cases: [([String], Int32, String)] = [
            (["ingest", folder], 1, "无法受理 (cannot take in) \(folder): \(folder) 是文件夹，请给出其中的文件，如 \(folder)/*.eml (is a folder: name the files)\n"),
            (["attach", "YS2018-0001", folder], 1, "错误：补充材料失败 (cannot attach): \(folder) 是文件夹，请给出其中的文件，如 \(folder)/*.eml (is a folder: name the files)\n"),
            (["reprocess", "9999"], 1, "错误：邮件 9999: 没有编号为 9999 的邮件 (no such message)\n"),
            (["resend", "1"], 1, "错误：回复 1 已在待发队列中，会自动发出，无需重发 (already queued)\n"),
        ]
        for (arguments, status, error) in cases {
            let result = try workspace.run(arguments)
            #expect(result.status == status, "\(arguments)")
            #expect(result.error == error, "\(arguments)")
            #expect(!result.error.contains("NSCocoaErrorDomain") && !result.error.contains("Error Domain"))
        }
        let toFolder = try workspace.run(["export", "-o", folder])
        #expect(toFolder.status == 1 && toFolder.error == "错误：-o 须是文件，\(folder) 是文件夹 (-o must name a file, e.g. \(folder)/推报清单.csv)\n")
        let toStdout = try workspace.run(["export", "-o", "-"])
        #expect(toStdout.status == 0 && toStdout.output.hasPrefix("\u{FEFF}受理编号,") && toStdout.error == "已导出 1 件 → 标准输出 (standard output)\n")
        #expect(!FileManager.default.fileExists(atPath: FileManager.default.currentDirectoryPath + "/-"))
        for since in ["12-07-2026", "2026-13-45", "2026-02-30"] {
            let result = try workspace.run(["queue", "--since", since])
            #expect(result.status == 64, "\(since)")
            #expect(result.error.hasPrefix("Error: 日期格式应为 YYYY-MM-DD (date must be YYYY-MM-DD): \(since)\n"), "\(since)")
        }
        let decide = try workspace.run(["decide", "YS2018-0001", "accepted"])
        #expect(decide.status == 64 && decide.error.hasPrefix("Error: 请用 --note 写明理由 (a decision needs --note with the reason)\n"))
        #expect(try workspace.run(["show", "YS2018-0001"]).output.contains("待补正"))  // nothing was decided
        let noConfig = try TestProcess.run(TestWorkspace.binary, ["queue"], currentDirectory: workspace.directory,
                                                  environment: ["TUIBAO_CONFIG": ""])
        #expect(noConfig.status == 1)
        #expect(noConfig.error == "错误：找不到配置文件：依次查找了 $TUIBAO_CONFIG、./Config/tuibao.toml、/etc/tuibao/tuibao.toml。"
                + "请用 --config 指定 (no configuration found: give --config FILE or set TUIBAO_CONFIG)\n")
    }

    @Test("seen defects: aliases, --once, empty lists and resend of a sent reply say what they mean")
    func wordsAndDefaults() throws {
        let workspace = try ingested(["01-foxmail-iphy", "04-coremail-lzb"])
        defer { workspace.remove() }
        let byAlias = try #require(try JSONSerialization.jsonObject(with: Data(try workspace.run(["queue", "--unit", "物理所", "--json"]).output.utf8))
            as? [[String: Any]])
        #expect(byAlias.map { $0["trackingNumber"] as? String } == ["YS2018-0001"])
        #expect(try workspace.run(["outbox", "--suppressed"]).output == "没有暂缓发送的回复。\n")
        let outbox = try workspace.run(["outbox"]).output
        #expect(outbox.contains("待发") && !outbox.contains("queued"))
        // poll and send run once without being told (their only mode); no server configured here.
        let send = try workspace.run(["send"])
        #expect(send.status == 1 && send.error == "错误：配置中没有 [smtp] 部分 (no [smtp] section)\n")
        // A unit with only a duplicate or rejected submission has not sent anything that counts.
        #expect(try workspace.run(["decide", "YS2018-0002", "rejected", "--note", "非本单位"]).status == 0)
        let missing = try #require(try JSONSerialization.jsonObject(with: Data(try workspace.run(["units", "--missing", "--json"]).output.utf8))
            as? [[String: Any]])
        let names = missing.compactMap { $0["name"] as? String }
        #expect(!names.contains("中国科学院物理研究所") && names.contains("中国科学院兰州分院"))
        let progress = try workspace.run(["units", "--progress"], environment: ["COLUMNS": "200"]).output
        let lanzhou = try #require(progress.split(separator: "\n").first { $0.hasPrefix("中国科学院兰州分院") })
        #expect(lanzhou.split(separator: " ").map(String.init) == ["中国科学院兰州分院", "·", "·", "·", "·", "1", "·"])
    }

    @Test("global options before or after the subcommand, and before a subcommand's own subcommand")
    func globalOptionsAnywhere() throws {
        let workspace = try ingested(["01-foxmail-iphy"])
        defer { workspace.remove() }
        let config = workspace.configFile.path
        for arguments in [["--config", config, "queue", "--json"], ["--json", "--config", config, "queue"], ["queue", "--config", config, "--json"]] {
            let result = try TestProcess.run(TestWorkspace.binary, arguments)
            #expect(result.status == 0, "\(arguments): \(result.error)")
            #expect(result.output.contains("\"trackingNumber\" : \"YS2018-0001\""), "\(arguments)")
        }
        let preview = try TestProcess.run(TestWorkspace.binary, ["reply", "--config", config, "preview", "1"])
        #expect(preview.status == 0 && preview.output.hasPrefix("回复 1（correct，待发）"))
        let campaigns = try TestProcess.run(TestWorkspace.binary, ["campaign", "--config", config, "list", "--json"])
        #expect(campaigns.status == 0 && campaigns.output.contains("\"current\" : true"))
    }

    @Test("tables and help fit 80 and 120 columns by display width, cut cells end in …; --wide shows all")
    func tablesFitTheTerminal() throws {
        let workspace = try ingested(["01-foxmail-iphy", "02-outlook2016-simm", "04-coremail-lzb"])
        defer { workspace.remove() }
        for columns in [80, 120] {
            for arguments in [["queue"], ["outbox"], ["messages"], ["units"], ["show", "YS2018-0002"], ["queue", "--help"],
                              ["help", "reply", "preview"], ["--help"]] {
                let output = try workspace.run(arguments, environment: ["COLUMNS": "\(columns)"]).output
                let widest = output.split(separator: "\n").map { TestProcess.displayWidth(String($0)) }.max() ?? 0
                #expect(widest <= columns, "\(arguments) at \(columns): \(widest)")
            }
        }
        let narrow = try workspace.run(["queue"], environment: ["COLUMNS": "80"]).output
        #expect(narrow.contains("…") && narrow.contains("上海药") && !narrow.contains("版本"))
        let wide = try workspace.run(["queue", "--wide"], environment: ["COLUMNS": "80"]).output
        #expect(!wide.contains("…") && wide.contains("抗肿瘤靶向药物研发团队") && wide.contains("版本"))
    }
}

/// Finding a submission on day one: by any of its words, by who looks after it, by a file's facts.
@Suite("Search and views", .serialized)
struct SearchAndViewsTests {
    func ingested(_ samples: [String]) throws -> TestWorkspace {
        let workspace = try TestWorkspace()
        let result = try workspace.run(["ingest"] + samples.map { TestWorkspace.sample($0).path }, environment: StaffToolsTests.now)
        #expect(result.status == 0, "\(result.error)")
        return workspace
    }

    func trackingNumbers(_ json: String) throws -> [String] {
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[String: Any]])
        return rows.compactMap { ($0["submission"] as? [String: Any] ?? $0)["trackingNumber"] as? String }
    }

    @Test("search by nominee, title, sender, essay words (long and short); all words must occur; snippets mark the match")
    func search() throws {
        let workspace = try ingested(["01-foxmail-iphy", "02-outlook2016-simm", "04-coremail-lzb", "05-163-gb18030-names"])
        defer { workspace.remove() }
        #expect(try trackingNumbers(workspace.run(["search", "韩思远", "--json"]).output) == ["YS2018-0001"])
        #expect(try trackingNumbers(workspace.run(["search", "刘䶮", "--json"]).output) == ["YS2018-0004"])  // two characters
        #expect(try trackingNumbers(workspace.run(["search", "huangmin@simm", "--json"]).output) == ["YS2018-0002"])
        #expect(try trackingNumbers(workspace.run(["search", "拓扑超导", "--json"]).output) == ["YS2018-0001"])  // essay text
        #expect(try trackingNumbers(workspace.run(["search", "拓扑超导", "沙漠", "--json"]).output) == [])
        let table = try workspace.run(["search", "超导"]).output
        #expect(table.contains("拓扑【超导】体") && table.hasSuffix("找到 1 件。\n"))
        let none = try workspace.run(["search", "不存在的词语"])
        #expect(none.status == 0 && none.output == "没有找到含“不存在的词语”的推报。 Nothing found.\n")
        // The same words narrow the queue.
        #expect(try trackingNumbers(workspace.run(["queue", "--search", "超导", "--json"]).output) == ["YS2018-0001"])
    }

    @Test("a store filed before the search index is indexed on first search")
    func indexBuiltForOlderStores() throws {
        let workspace = try ingested(["01-foxmail-iphy"])
        defer { workspace.remove() }
        let database = workspace.directory.appendingPathComponent("data/tuibao.sqlite").path
        let python = URL(fileURLWithPath: "/usr/bin/python3")  // Debian's, where apt puts python3-jsonschema
        let cleared = try TestProcess.run(python, ["-c", "import sqlite3, sys; db = sqlite3.connect(sys.argv[1]); "
            + "db.execute('DELETE FROM submission_search'); db.execute(\"DELETE FROM setting WHERE key = 'search-index'\"); db.commit()", database])
        #expect(cleared.status == 0, "\(cleared.error)")
        #expect(try trackingNumbers(workspace.run(["search", "韩思远", "--json"]).output) == ["YS2018-0001"])
    }

    @Test("assign is logged; queue --mine and --assignee list one's own; --sort orders the queue")
    func assignAndSort() throws {
        let workspace = try ingested(["01-foxmail-iphy", "02-outlook2016-simm", "04-coremail-lzb"])
        defer { workspace.remove() }
        let assign = try workspace.run(["assign", "YS2018-0002", "liuyi", "--by", "yangcui"])
        #expect(assign.status == 0 && assign.output == "YS2018-0002 经办人：（无） → liuyi\n")
        #expect(try trackingNumbers(workspace.run(["queue", "--mine", "--json"], environment: ["USER": "liuyi", "SUDO_USER": ""]).output) == ["YS2018-0002"])
        #expect(try trackingNumbers(workspace.run(["queue", "--assignee", "liuyi", "--json"]).output) == ["YS2018-0002"])
        #expect(try trackingNumbers(workspace.run(["queue", "--mine", "--json"], environment: ["USER": "yangcui", "SUDO_USER": ""]).output) == [])
        let show = try workspace.run(["show", "YS2018-0002"]).output
        #expect(show.contains("yangcui  submission.assigned  经办人 （无） → liuyi"))
        #expect(try workspace.run(["assign", "YS2018-0002", "--clear"]).output == "YS2018-0002 经办人：liuyi → （无）\n")
        let byNominee = try trackingNumbers(workspace.run(["queue", "--sort", "nominee", "--json"]).output)
        let nominees = try #require(try JSONSerialization.jsonObject(with: Data(workspace.run(["queue", "--sort", "nominee", "--json"]).output.utf8))
            as? [[String: Any]]).map { $0["nominee"] as? String ?? "\u{10FFFF}" }
        #expect(nominees == nominees.sorted() && byNominee.count == 3)
    }

    @Test("messages: each mail with its Message-ID, what became of it and the tracking numbers it filed")
    func messages() throws {
        let workspace = try ingested(["01-foxmail-iphy", "16-autoreply-iphy"])
        defer { workspace.remove() }
        let lines = try workspace.run(["messages"]).output.split(separator: "\n").map(String.init)
        #expect(lines.count == 5 && lines.last == "共 2 封。")
        #expect(lines[2].hasPrefix("1 ") && lines[2].contains("dangban@iphy.ac.cn") && lines[2].contains("请补正")
                && lines[2].contains("YS2018-0001") && lines[2].contains("2018051409310254617910@iphy.ac.cn"))
        #expect(lines[3].hasPrefix("2 ") && lines[3].contains("不处理（"))
        let json = try #require(try JSONSerialization.jsonObject(with: Data(workspace.run(["messages", "--json"]).output.utf8)) as? [[String: Any]])
        #expect(json.map { $0["trackingNumbers"] as? [String] } == [["YS2018-0001"], []])
        let since = try workspace.run(["messages", "--since", "2030-01-01"])
        #expect(since.status == 0 && since.output == "没有收到的邮件。 No messages.\n")
    }

    @Test("file ID N: the facts the examiner found; --open without a desktop copies it out under a safe name")
    func fileFacts() throws {
        let workspace = try ingested(["01-foxmail-iphy"])
        defer { workspace.remove() }
        let essay = try workspace.run(["file", "YS2018-0001", "2"]).output
        #expect(essay == """
            文件名:   征文：在接近绝对零度的世界里寻找答案.docx
            类型:     application/vnd.openxmlformats-officedocument.wordprocessingml.document　用作 征文
            大小:     6 KB（5932 字节）
            SHA-256:  6f19e0b8965742703b461f8aeee8dff6f656b1a4a78b51ec2792300aa97834c6
            格式:     docx
            字数:     2286

            """)
        let form = try workspace.run(["file", "YS2018-0001", "1"]).output
        #expect(form.contains("推报表·推报对象: 韩思远") && form.contains("推报表·电话: 010-82649037"))
        let missing = try workspace.run(["file", "YS2018-0001", "9"])
        #expect(missing.status == 1 && missing.error == "错误：YS2018-0001 第 1 版只有 3 件材料 (no material 9)\n")
        let opened = try workspace.run(["file", "YS2018-0001", "2", "--open"], environment: ["DISPLAY": "", "WAYLAND_DISPLAY": ""])
        let path = try #require(opened.output.split(separator: ": ", maxSplits: 1).last.map { String($0.dropLast()) })
        #expect(opened.output.hasPrefix("没有图形桌面，未打开；文件已复制到 (no desktop; copied to): "))
        #expect(path.hasSuffix("/征文：在接近绝对零度的世界里寻找答案.docx"))
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)).count == 5932)
    }
}
