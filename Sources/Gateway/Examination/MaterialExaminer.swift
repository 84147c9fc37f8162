import Foundation
import MaterialChecks
import Materials

/// Reads one file with the right reader and says what it is for the rules: a form, an essay
/// and its 字数, an image and its size, a video and its duration and resolution, an archive and
/// what is inside, or something unsafe. The type comes from the content (magic bytes); the name
/// only breaks ties (a form is recognised by name or by its table labels). A reader that fails
/// leaves a reason in the facts; it never stops intake.
public struct MaterialExaminer: Sendable {
    public let rules: CampaignRules
    /// Where containers are unpacked: inside the data directory for intake (the hardened unit
    /// has a private /tmp, and members are linked into the file store from here).
    public let scratch: URL
    /// Archives inside archives are opened this deep, no deeper.
    public var maxDepth = 3

    public init(rules: CampaignRules = CampaignRules(), scratch: URL = FileManager.default.temporaryDirectory) {
        self.rules = rules
        self.scratch = scratch
    }

    /// - Parameter keep: called for every file found inside a container, with its SHA-256, after
    ///   the file was read, so the caller can keep a copy (the file is deleted after this call).
    public func examine(fileAt url: URL, name: String, sha256: String, size: Int,
                        keep: (URL, String) throws -> Void = { _, _ in }) -> MaterialFacts {
        examine(fileAt: url, name: name, sha256: sha256, size: size, depth: 0, keep: keep)
    }

    func examine(fileAt url: URL, name: String, sha256: String, size: Int, depth: Int,
                 keep: (URL, String) throws -> Void) -> MaterialFacts {
        var facts = MaterialFacts(name: name, sha256: sha256, size: size, kind: .other)
        let header = Self.header(of: url)
        if let reason = UnsafeFile.reason(name: name, header: header) {
            facts.kind = .unsafe
            facts.unsafeReason = reason
            return facts
        }
        switch FileSniffer.kind(name: name, header: header) {
        case .image:
            facts.kind = .image
            if let info = try? ImageProbe.probe(fileAt: url) {
                facts.format = info.format.rawValue
                facts.image = info
            }
        case .video:
            facts.kind = .video
            do {
                let info = try VideoProbe.probe(fileAt: url)
                facts.format = info.isQuickTime ? "mov" : info.isMP4 ? "mp4" : info.majorBrand.trimmingCharacters(in: .whitespaces)
                facts.video = VideoFacts(isMP4: info.isMP4 && !info.isQuickTime,
                                         container: info.isQuickTime ? "QuickTime .mov" : "ISO 媒体文件，品牌 \(info.majorBrand)",
                                         durationSeconds: info.durationSeconds, width: info.width, height: info.height)
            } catch {
                facts.unreadable = Self.videoReason(error)
            }
        case .otherVideo(let format):
            // AVI, WMV, FLV…: not mp4, and not ISO-BMFF, so nothing more is measured.
            facts.kind = .video
            facts.format = format
            facts.video = VideoFacts(isMP4: false, container: format, durationSeconds: 0, width: 0, height: 0)
        default:
            examineDocument(&facts, url: url, header: header, depth: depth, keep: keep)
        }
        return facts
    }

    /// Why a video could not be measured, in words for the unit.
    static func videoReason(_ error: VideoProbeError) -> String {
        switch error {
        case .truncated, .missingMovieBox: "文件不完整，可能没有传完"
        case .notISOBMFF: "不是 mp4 视频文件"
        case .unreadable: "文件无法读取"
        case .invalidBoxSize, .malformedBox, .tooManyBoxes, .missingMovieHeader: "文件结构已损坏"
        }
    }

    static func header(of url: URL, length: Int = 4096) -> [UInt8] {
        guard let handle = try? FileHandle(forReadingFrom: url) else { return [] }
        defer { try? handle.close() }
        return [UInt8]((try? handle.read(upToCount: length)) ?? Data())
    }
}
