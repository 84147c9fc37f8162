import Foundation
import Testing

/// Tiny real videos made once per test run with ffmpeg, each with its ffprobe report.
/// Solid-colour 1 fps (or slower) H.264 at CRF 51 keeps a 20-minute 1080p file under 100 KB.
struct VideoFixtures: Sendable {
    enum Kind: String, CaseIterable, Sendable, CustomTestStringConvertible {
        /// 1920×1080, 6 min, AAC audio tagged "chi"; default muxer, so moov is after mdat.
        case landscape1080
        /// The same, remuxed with `-movflags +faststart`.
        case faststart
        /// 1280×720, 6 min, audio tagged "zho".
        case hd720
        /// 1080×1920 coded portrait, 7 min, no audio.
        case portrait
        /// 1920×1080, 20 min at one frame per 5 s.
        case twentyMinutes
        /// landscape1080 remuxed with `-metadata:s:v:0 rotate=90`.
        case rotate90Tag
        /// landscape1080 remuxed with `-metadata:s:v:0 rotate=270`.
        case rotate270Tag
        /// landscape1080 remuxed with `-f mov` (major brand "qt  ").
        case quickTime
        /// landscape1080 remuxed with `-movflags frag_keyframe+empty_moov`.
        case fragmented

        var fileName: String { rawValue + (self == .quickTime ? ".mov" : ".mp4") }
        var testDescription: String { rawValue }
    }

    let directory: URL
    let reports: [Kind: FFprobeReport]

    func url(_ kind: Kind) -> URL { directory.appendingPathComponent(kind.fileName) }

    func report(_ kind: Kind) throws -> FFprobeReport {
        guard let report = reports[kind] else { throw MissingReport() }
        return report
    }

    struct MissingReport: Error {}

    /// Built on first use and shared by every test (Swift runs a static initializer once).
    static let shared: Result<VideoFixtures, any Error> = Result { try build() }

    static func get() throws -> VideoFixtures { try shared.get() }

    private static func build() throws -> VideoFixtures {
        removeStaleFixtureDirectories()
        let directory = try TemporaryDirectory(prefix: "materials-video-fixtures").url
        func path(_ kind: Kind) -> String { directory.appendingPathComponent(kind.fileName).path }
        let quiet = ["-hide_banner", "-nostdin", "-v", "error", "-y"]
        let stillH264 = ["-c:v", "libx264", "-preset", "ultrafast", "-tune", "stillimage", "-crf", "51"]
        let silentAudio = ["-f", "lavfi", "-i", "anullsrc=r=8000:cl=mono"]
        let smallAAC = ["-c:a", "aac", "-b:a", "8k"]

        try ExternalTool.run("ffmpeg", quiet + ["-f", "lavfi", "-i", "color=c=blue:s=1920x1080:r=1"] + silentAudio
            + ["-t", "360"] + stillH264 + smallAAC + ["-metadata:s:a:0", "language=chi", path(.landscape1080)])
        try ExternalTool.run("ffmpeg", quiet + ["-f", "lavfi", "-i", "color=c=green:s=1280x720:r=1"] + silentAudio
            + ["-t", "360"] + stillH264 + smallAAC + ["-metadata:s:a:0", "language=zho", path(.hd720)])
        try ExternalTool.run("ffmpeg", quiet + ["-f", "lavfi", "-i", "color=c=red:s=1080x1920:r=1", "-t", "420"]
            + stillH264 + [path(.portrait)])
        try ExternalTool.run("ffmpeg", quiet + ["-f", "lavfi", "-i", "color=c=gray:s=1920x1080:r=1/5", "-t", "1200"]
            + stillH264 + [path(.twentyMinutes)])

        let source = ["-i", path(.landscape1080), "-c", "copy"]
        try ExternalTool.run("ffmpeg", quiet + source + ["-movflags", "+faststart", path(.faststart)])
        try ExternalTool.run("ffmpeg", quiet + source + ["-metadata:s:v:0", "rotate=90", path(.rotate90Tag)])
        try ExternalTool.run("ffmpeg", quiet + source + ["-metadata:s:v:0", "rotate=270", path(.rotate270Tag)])
        try ExternalTool.run("ffmpeg", quiet + source + ["-f", "mov", path(.quickTime)])
        try ExternalTool.run("ffmpeg", quiet + source + ["-movflags", "frag_keyframe+empty_moov", path(.fragmented)])

        var reports: [Kind: FFprobeReport] = [:]
        for kind in Kind.allCases {
            reports[kind] = try FFprobeReport.of(directory.appendingPathComponent(kind.fileName))
        }
        return VideoFixtures(directory: directory, reports: reports)
    }

    /// The suite has no global tear-down, so each run sweeps fixture directories older than an hour.
    private static func removeStaleFixtureDirectories() {
        let manager = FileManager.default
        let temporary = manager.temporaryDirectory
        let cutoff = Date().addingTimeInterval(-3600)
        let names = (try? manager.contentsOfDirectory(atPath: temporary.path)) ?? []
        for name in names where name.hasPrefix("materials-video-fixtures-") {
            let url = temporary.appendingPathComponent(name)
            let modified = (try? manager.attributesOfItem(atPath: url.path)[.modificationDate]) as? Date
            if let modified, modified < cutoff { try? manager.removeItem(at: url) }
        }
    }
}
