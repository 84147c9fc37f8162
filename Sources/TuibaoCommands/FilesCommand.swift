import ArgumentParser
import Foundation
import Store

/// `tuibao files ID --to DIR`: the materials of the current version, under their original names
/// made safe for a file system.
struct FilesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "files",
        abstract: "导出一件推报的材料（原文件名，已去除不安全字符）。 Copy a submission's materials to a folder.")

    @OptionGroup var gateway: GatewayOptions

    @Argument(help: "受理编号。")
    var id: String

    @Option(name: .customLong("to"), help: "目标文件夹 (created if missing).")
    var directory: String

    func run() throws {
        let (_, store) = try gateway.openStore()
        let submission = try requireSubmission(id, in: store)
        let target = URL(fileURLWithPath: directory)
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: target.path, isDirectory: &isDirectory), !isDirectory.boolValue {
            throw CommandFailure("--to 须是文件夹，\(directory) 是一个文件 (--to must name a folder)")
        }
        try FileManager.default.createDirectory(at: target, withIntermediateDirectories: true)
        var used = Set((try? FileManager.default.contentsOfDirectory(atPath: target.path)) ?? [])
        for file in try store.currentFiles(of: submission.id!) {
            let name = SafeFilename.make(file.filename, sha256: file.sha256, contentType: file.contentType, avoiding: used)
            used.insert(name)
            try FileManager.default.copyItem(at: store.files.path(forSHA256: file.sha256), to: target.appendingPathComponent(name))
            print("\(name)\t\(StaffFormatting.size(file.size))\t\(file.sha256)")
        }
    }
}
