import Foundation
import Materials

/// Pictures for the web and video posters, made by well-kept command-line tools run as child
/// processes with fixed arguments (no shell), a time limit and resource limits: ImageMagick's
/// `convert` (`magick` where ImageMagick 7 is installed) resizes, FFmpeg takes one frame of a
/// video. A decoder that crashes or hangs on a unit's file costs that picture, never the build.
struct SiteMedia {
    /// The widths a picture is offered at (`srcset`); a picture narrower than one is offered
    /// at its own width instead of being enlarged.
    static let widths = [480, 960, 1600]
    /// The widest a video poster is made.
    static let posterWidth = 960

    let convert: URL?
    let ffmpeg: URL?

    init() {
        convert = ExternalTool.find("magick") ?? ExternalTool.find("convert")
        ffmpeg = ExternalTool.find("ffmpeg")
    }

    /// The widths to make of a picture `width` pixels wide: those below it, and its own
    /// width when it is narrower than the widest.
    static func widths(for width: Int) -> [Int] {
        let below = widths.filter { $0 < width }
        return width < widths.last! ? below + [width] : below
    }

    /// ImageMagick reads the file with the decoder of the format its magic bytes showed
    /// (`jpeg:`, `png:` …), never by guessing, so no other coder or delegate runs on it.
    static func coder(_ format: ImageFormat) -> String {
        switch format {
        case .jpeg: "jpeg"
        case .png: "png"
        case .heif: "heic"
        case .tiff: "tiff"
        case .bmp: "bmp"
        }
    }

    static func fileExtension(_ format: ImageFormat) -> String {
        switch format {
        case .jpeg: "jpg"
        case .png: "png"
        case .heif: "heic"
        case .tiff: "tif"
        case .bmp: "bmp"
        }
    }

    /// A JPEG `width` pixels wide (orientation applied, metadata stripped, progressive).
    func resize(_ source: URL, format: ImageFormat, width: Int, to destination: URL) throws {
        guard let convert else { throw SiteError("没有找到 ImageMagick（convert/magick），无法缩放图片 (ImageMagick not installed)") }
        // `magick` (ImageMagick 7) takes the same arguments as `convert` (6).
        let arguments = ["-limit", "memory", "256MiB", "-limit", "map", "512MiB", "-limit", "disk", "1GiB", "-limit", "time", "120",
                      "\(Self.coder(format)):\(source.path)[0]",
                      "-auto-orient", "-strip", "-colorspace", "sRGB", "-resize", "\(width)x",
                      "-quality", "82", "-sampling-factor", "4:2:0", "-interlace", "JPEG",
                      "jpeg:\(destination.path)"]
        try run(convert, arguments, what: "图片缩放")
    }

    /// One frame of an mp4 as a JPEG at most `posterWidth` wide, taken `seconds` in.
    func poster(_ source: URL, seconds: Double, width: Int, to destination: URL) throws {
        guard let ffmpeg else { throw SiteError("没有找到 ffmpeg，无法生成视频封面 (ffmpeg not installed)") }
        // The mp4 demuxer only, reading only this file: no playlist or other protocol can pull in anything else.
        try run(ffmpeg, ["-nostdin", "-hide_banner", "-loglevel", "error", "-protocol_whitelist", "file",
                         "-ss", String(format: "%.3f", seconds), "-f", "mov", "-i", source.path,
                         "-frames:v", "1", "-vf", "scale=\(width):-2", "-q:v", "3", "-f", "image2", "-y", destination.path],
                what: "视频封面")
    }

    private func run(_ tool: URL, _ arguments: [String], what: String) throws {
        let output: ExternalTool.Output
        do {
            output = try ExternalTool(executable: tool, timeout: .seconds(180), maxOutputBytes: 1 << 20).run(arguments)
        } catch {
            throw SiteError("\(what)失败 (\(tool.lastPathComponent) failed): \(error)")
        }
        guard output.status == 0 else {
            throw SiteError("\(what)失败 (\(tool.lastPathComponent) exited \(output.status)): \(output.stderr.prefix(300))")
        }
    }
}

/// A site build error: one line, Chinese with the English gist.
public struct SiteError: Error, CustomStringConvertible, Sendable {
    public var description: String
    public init(_ description: String) { self.description = description }
}
