import ArgumentParser
import Foundation
import MaterialChecks
import Store

/// `tuibao file ID N [--open]`: one material of the current version — what the examiner found
/// in it (字数, size, duration, resolution, the form's fields) — or the file itself opened.
struct FileCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "file",
        abstract: "查看一件材料的情况（字数、大小、时长、分辨率等）；--open 用桌面程序打开。 One material's facts, or open it.",
        discussion: "N 为 tuibao show 最新一版中的“材料 N”。--open 先把文件以安全的文件名复制到临时目录，再交给 xdg-open；没有图形桌面时只给出路径。")

    @OptionGroup var gateway: GatewayOptions

    @Argument(help: "受理编号。")
    var id: String

    @Argument(help: "材料序号（见 tuibao show 的“材料 N”）。 The material's number in `show`.")
    var number: Int

    @Flag(help: "复制到临时目录并用桌面程序打开。 Copy out and open with the desktop's program.")
    var open = false

    func run() throws {
        let (_, store) = try gateway.openStore()
        let submission = try requireSubmission(id, in: store)
        guard let detail = try store.detail(of: submission.id!), let latest = detail.versions.last else {
            throw CommandFailure("\(submission.trackingNumber) 没有材料 (no materials)")
        }
        guard (1...max(1, latest.files.count)).contains(number), latest.files.indices.contains(number - 1) else {
            throw CommandFailure("\(submission.trackingNumber) 第 \(latest.version.number) 版只有 \(latest.files.count) 件材料 (no material \(number))")
        }
        let file = latest.files[number - 1]
        if open { try openCopy(of: file, store: store); return }
        let facts = try store.read { try $0.cachedFacts(sha256: file.sha256) }.lazy.compactMap { MaterialFacts(json: $0) }.first
        print(Self.describe(file, facts: facts), terminator: "")
    }

    static func describe(_ file: FileRecord, facts: MaterialFacts?) -> String {
        var lines = [
            "文件名:   \(file.filename ?? "（无文件名）")",
            "类型:     \(file.contentType)\(file.role.map { "　用作 \($0.label)" } ?? "")",
            "大小:     \(StaffFormatting.size(file.size))（\(file.size) 字节）",
            "SHA-256:  \(file.sha256)",
        ]
        if let removed = file.removedAt { lines.append("已移除:   \(StaffFormatting.date(removed))，\(file.removedBy ?? "工作人员")") }
        guard let facts else {
            lines.append("（尚无检查结果 (not examined)）")
            return lines.joined(separator: "\n") + "\n"
        }
        if let format = facts.format { lines.append("格式:     \(format)") }
        if let words = facts.wordCount { lines.append("字数:     \(words)") }
        if let image = facts.image { lines.append("图片:     \(image.width)×\(image.height) 像素") }
        if let video = facts.video {
            let seconds = Int(video.durationSeconds.rounded())
            lines.append("视频:     \(seconds / 60) 分 \(seconds % 60) 秒，\(video.width)×\(video.height)，\(video.isMP4 ? "mp4" : video.container)")
        }
        if let form = facts.form {
            let fields: [(String, String?)] = [("单位", form.unit), ("类型", form.category?.chineseName), ("推报对象", form.nominee),
                                               ("事迹标题", form.deedTitle), ("联系人", form.contact), ("电话", form.phone), ("邮箱", form.email)]
            for (name, value) in fields { lines.append("推报表·\(name): \(value ?? "（未填）")") }
        }
        if !facts.embeddedImages.isEmpty { lines.append("内嵌图片: \(facts.embeddedImages.count) 张") }
        if let reason = facts.unreadable ?? facts.uncheckedReason ?? facts.unsafeReason { lines.append("注意:     \(reason)") }
        return lines.joined(separator: "\n") + "\n"
    }

    /// A copy under a safe name in a private temporary folder, handed to xdg-open without a shell.
    private func openCopy(of file: FileRecord, store: TuibaoStore) throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tuibao-\(file.sha256.prefix(12))", isDirectory: true)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let name = SafeFilename.make(file.filename, sha256: file.sha256, contentType: file.contentType, avoiding: [])
        let copy = folder.appendingPathComponent(name)
        if !FileManager.default.fileExists(atPath: copy.path) {
            try FileManager.default.copyItem(at: store.files.path(forSHA256: file.sha256), to: copy)
        }
        let environment = ProcessInfo.processInfo.environment
        let hasDesktop = !(environment["DISPLAY"] ?? "").isEmpty || !(environment["WAYLAND_DISPLAY"] ?? "").isEmpty
        guard hasDesktop, let opener = ["/usr/bin/xdg-open", "/bin/xdg-open"].first(where: FileManager.default.isExecutableFile) else {
            print("没有图形桌面，未打开；文件已复制到 (no desktop; copied to): \(copy.path)")
            return
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: opener)
        process.arguments = [copy.path]
        try process.run()
        print("已用桌面程序打开 (opened): \(copy.path)")
    }
}
