import Foundation

/// The files of one build, written so that re-running changes only what changed: a page's bytes
/// are compared with what is on disk before it is written; a media file (named by its source's
/// hash and size) is made only when missing; every write goes to a temporary file renamed into
/// place, so a reader or a crash never sees half a file. Files of the previous build (listed in
/// the manifest) that this build did not produce are deleted — nothing else in the folder is.
struct SiteOutput {
    let root: URL
    private(set) var files: [String: Data] = [:]
    private(set) var mediaPaths: Set<String> = []
    private var mediaMade: [String] = []
    private var mediaKept: [String] = []

    init(root: URL) {
        self.root = root.standardizedFileURL
    }

    func prepare() throws {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: root.path, isDirectory: &isDirectory), !isDirectory.boolValue {
            throw SiteError("--to 须是文件夹，\(root.path) 是一个文件 (--to must name a folder)")
        }
        for folder in ["", "deeds", "media"] {
            try FileManager.default.createDirectory(at: root.appendingPathComponent(folder, isDirectory: true),
                                                    withIntermediateDirectories: true)
        }
    }

    /// A page, feed or stylesheet of this build.
    mutating func file(_ path: String, _ data: Data) {
        files[path] = data
    }

    /// A media file of this build, made by `make` (into a temporary file) only when missing.
    mutating func media(_ path: String, make: (URL) throws -> Void) throws {
        if mediaPaths.contains(path) { return }
        let target = root.appendingPathComponent(path)
        if FileManager.default.fileExists(atPath: target.path) {
            mediaPaths.insert(path)
            mediaKept.append(path)
            return
        }
        let temporary = temporaryURL(beside: target, suffix: "." + target.pathExtension)
        defer { try? FileManager.default.removeItem(at: temporary) }
        try make(temporary)
        guard FileManager.default.fileExists(atPath: temporary.path) else { throw SiteError("没有生成 (not made): \(path)") }
        try install(temporary, at: target)
        mediaPaths.insert(path)
        mediaMade.append(path)
    }

    /// Writes what changed, deletes what the previous build made and this one did not, and
    /// records this build's files in the manifest.
    func commit(into report: inout SiteBuildReport) throws {
        for (path, data) in files.sorted(by: { $0.key < $1.key }) {
            if try write(data, to: path) { report.written.append(path) } else { report.unchanged.append(path) }
        }
        report.written += mediaMade.sorted()
        report.unchanged += mediaKept.sorted()

        let current = Set(files.keys).union(mediaPaths)
        for path in previousManifest().subtracting(current).sorted() where Self.isOwnPath(path) {
            let url = root.appendingPathComponent(path)
            if FileManager.default.fileExists(atPath: url.path) {
                try FileManager.default.removeItem(at: url)
                report.deleted.append(path)
            }
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        _ = try write(encoder.encode(current.sorted()), to: SiteBuilder.manifestName)
    }

    /// True when the file was written (new or different).
    private func write(_ data: Data, to path: String) throws -> Bool {
        let target = root.appendingPathComponent(path)
        if let existing = try? Data(contentsOf: target), existing == data { return false }
        let temporary = temporaryURL(beside: target, suffix: "")
        defer { try? FileManager.default.removeItem(at: temporary) }
        try data.write(to: temporary)
        try install(temporary, at: target)
        return true
    }

    private func install(_ temporary: URL, at target: URL) throws {
        // Readable by the web server: the site is public, whatever the umask of staff.
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: temporary.path)
        if rename(temporary.path, target.path) != 0 {
            throw SiteError("无法写入 (cannot write) \(target.path): \(String(cString: strerror(errno)))")
        }
    }

    private func temporaryURL(beside target: URL, suffix: String) -> URL {
        target.deletingLastPathComponent().appendingPathComponent(".tmp-\(UUID().uuidString)\(suffix)")
    }

    private func previousManifest() -> Set<String> {
        guard let data = try? Data(contentsOf: root.appendingPathComponent(SiteBuilder.manifestName)),
              let paths = try? JSONDecoder().decode([String].self, from: data) else { return [] }
        return Set(paths)
    }

    /// Only a path the builder makes: a top-level page or one inside deeds/ or media/, no `..`.
    static func isOwnPath(_ path: String) -> Bool {
        let parts = path.split(separator: "/", omittingEmptySubsequences: false)
        guard !parts.contains(where: { $0.isEmpty || $0 == "." || $0 == ".." || $0.hasPrefix(".") }) else { return false }
        return parts.count == 1 || (parts.count == 2 && (parts[0] == "deeds" || parts[0] == "media"))
    }
}
