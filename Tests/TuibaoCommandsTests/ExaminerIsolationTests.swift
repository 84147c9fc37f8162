import Foundation
import GRDB
import Store
import TestSupport
import Testing

/// Readers run in `tuibao examine` children with limits: a reader that crashes, hangs, spins or
/// hoards memory costs its file (`attachment.unreadable`), never the message or the service.
/// The misbehaviour is injected with `TUIBAO_FAULT_EXAMINE` (test-only) into the real child.
@Suite("Isolated examiner", .serialized)
struct ExaminerIsolationTests {
    static let limits = """

        [examiner]
        file_seconds = 2
        message_seconds = 20
        memory_mb = 1024
        """
    static let photo = "韩思远在实验室调试仪器.jpg"

    struct Filed {
        var output: String
        var status: Int32
        var problems: [String]
        var events: [String]
        var files: Int
        var replyBody: String
    }

    func ingest(fault: String?, limits: String = Self.limits) throws -> Filed {
        let workspace = try TestWorkspace(extra: limits)
        defer { workspace.remove() }
        let result = try workspace.run(["ingest", TestWorkspace.sample("01-foxmail-iphy").path],
                                       environment: fault.map { ["TUIBAO_FAULT_EXAMINE": $0] } ?? [:])
        let store = try workspace.pipeline().store
        return try store.database.read { db in
            Filed(output: result.output, status: result.status,
                  problems: try String.fetchAll(db, sql: "SELECT message FROM problem ORDER BY id"),
                  events: try String.fetchAll(db, sql: "SELECT kind || ' ' || detail FROM event WHERE kind = 'file.unchecked' ORDER BY id"),
                  files: try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM file") ?? 0,
                  replyBody: try String.fetchOne(db, sql: "SELECT body FROM reply") ?? "")
        }
    }

    @Test("without a fault the isolated readers find what they always found")
    func clean() throws {
        let filed = try ingest(fault: nil)
        #expect(filed.status == 0)
        #expect(filed.problems == ["图片“\(Self.photo)”为 34 KB，小于 1 MB。请发送未经压缩的原图。"])
        #expect(filed.events.isEmpty)
    }

    @Test("a reader that crashes, hangs, spins or runs out of memory: its file is attachment.unreadable, the message filed and answered",
          arguments: [("crash", "读取程序崩溃（内存访问错误）"), ("hang", "超过 2 秒未完成"), ("spin", "超过 2 秒未完成"),
                      ("memory", "读取程序崩溃（内存不足或中止）")])
    func readerDies(_ fault: String, _ reason: String) throws {
        let filed = try ingest(fault: "\(fault):韩思远")
        #expect(filed.status == 0, "\(filed.output)")
        let problem = "附件“\(Self.photo)”未能完成自动检查（\(reason)），工作人员将人工查看，如有问题会另行联系。"
        // The photo is not judged (no "too small", no "image missing"); the form and essay are.
        #expect(filed.problems == [problem])
        #expect(filed.files == 3)
        #expect(filed.replyBody.contains(problem))
        #expect(filed.events.count == 1)
        #expect(filed.events.first?.hasPrefix("file.unchecked 附件“\(Self.photo)”（56a84d3ea93b）未能检查：\(reason)") == true)
    }

    @Test("after a reader crashed on the first file, a new examiner reads the others")
    func crashThenRead() throws {
        let filed = try ingest(fault: "crash:附件1")
        #expect(filed.status == 0)
        let form = "附件1：“一所一人一事”先进事迹征集评选活动推报表（物理所）.docx"
        #expect(filed.problems == ["图片“\(Self.photo)”为 34 KB，小于 1 MB。请发送未经压缩的原图。",
                                   "附件“\(form)”未能完成自动检查（读取程序崩溃（内存访问错误）），工作人员将人工查看，如有问题会另行联系。"])
    }

    @Test("the message's budget: once spent, the files after it are not read")
    func messageBudget() throws {
        let filed = try ingest(fault: "hang:附件1", limits: """

            [examiner]
            file_seconds = 2
            message_seconds = 2
            """)
        #expect(filed.status == 0)
        #expect(filed.problems.count == 3)
        #expect(filed.problems.filter { $0.contains("（超过 2 秒未完成）") }.count == 1)
        #expect(filed.problems.filter { $0.contains("（本封邮件的检查时间（2 秒）已用完）") }.count == 2)
        #expect(filed.events.count == 3)
    }

    @Test("a parser child that dies: ingest reports it, the message waits (attempt 1), reprocess files it")
    func parserDies() throws {
        let workspace = try TestWorkspace()
        defer { workspace.remove() }
        let died = try workspace.run(["ingest", TestWorkspace.sample("01-foxmail-iphy").path],
                                     environment: ["TUIBAO_FAULT_SUBJECT": "物理研究所"])
        #expect(died.status != 0)
        #expect(died.error.contains("解析邮件的进程失败：检查进程异常退出（状态 86）"), "\(died.error)")
        let store = try workspace.pipeline().store
        let row = try #require(try store.database.read { db in try MessageRecord.fetchOne(db) })
        #expect(row.status == .received && row.attempts == 1)
        let again = try workspace.run(["reprocess", "\(row.id!)"])
        #expect(again.status == 0, "\(again.error)")
        #expect(again.output.contains("YS2018-0001"))
    }

    @Test("[examiner] limits are checked when the configuration is read")
    func badLimits() throws {
        let workspace = try TestWorkspace(extra: "\n[examiner]\nfile_seconds = 60\nmessage_seconds = 30\n")
        defer { workspace.remove() }
        let result = try workspace.run(["queue"])
        #expect(result.status != 0)
        #expect(result.error.contains("[examiner] 限制无效"))
    }
}
