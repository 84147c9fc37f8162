import Foundation
@testable import Materials

/// Source files and the archives made from them with the installed tools.
struct ArchiveSources {
    let folder: ScratchFolder
    /// Relative name → bytes of every file put into the archives.
    let files: [String: Data]

    init() throws {
        folder = try ScratchFolder()
        files = [
            "征文.txt": Data(String(repeating: "一所一人一事，扎根科研一线。", count: 200).utf8),
            "images/照片1.jpg": Data([0xFF, 0xD8, 0xFF, 0xE0] + (0..<3000).map { UInt8(($0 * 7 + 3) % 251) }),
            "推报表.docx": Data((0..<1234).map { UInt8($0 % 256) }),
        ]
        for (name, data) in files { _ = try folder.write("src/" + name, data) }
    }

    var source: URL { folder.file("src") }

    func sha256(of name: String) throws -> String { try CommandLineTool.sha256(of: source.appendingPathComponent(name)) }
}

/// `7zz l -slt`: 7-Zip's own reading of an archive, as (path, size) of files.
enum SevenZipListing {
    static func files(of archive: URL) throws -> [String: Int] {
        let output = try CommandLineTool.run("7zz", ["l", "-slt", "-sccUTF-8", archive.path]).output
        guard let start = output.range(of: "----------\n") else { return [:] }
        var files: [String: Int] = [:]
        for block in output[start.upperBound...].components(separatedBy: "\n\n") {
            var fields: [String: String] = [:]
            for line in block.split(separator: "\n") {
                let parts = line.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                if parts.count == 2 { fields[parts[0]] = parts[1] }
            }
            // Zip listings say "Folder = +"; 7z listings mark folders by the "D" attribute.
            let isFolder = fields["Folder"] == "+" || fields["Attributes"]?.hasPrefix("D") == true
            guard let path = fields["Path"], !isFolder, let size = fields["Size"].flatMap(Int.init) else { continue }
            files[path] = size
        }
        return files
    }
}

extension Array where Element == ArchiveEntry {
    /// Name → declared size of the regular files.
    var fileSizes: [String: Int] {
        Dictionary(filter { $0.kind == .file }.map { ($0.name, $0.size) }, uniquingKeysWith: { first, _ in first })
    }
}
