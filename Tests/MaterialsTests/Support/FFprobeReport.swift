import Foundation

/// The fields of `ffprobe -print_format json -show_format -show_streams` the tests compare against.
struct FFprobeReport: Sendable {
    struct Stream: Sendable {
        var codecType: String
        var width: Int?
        var height: Int?
        var language: String?
        /// Display-matrix side data; ffprobe reports it counter-clockwise.
        var rotation: Int?
    }

    var durationSeconds: Double
    var majorBrand: String?
    var compatibleBrands: String?
    var streams: [Stream]

    var firstVideo: Stream? { streams.first { $0.codecType == "video" } }

    struct ParseError: Error {}

    static func of(_ url: URL) throws -> FFprobeReport {
        let json = try ExternalTool.run("ffprobe", ["-v", "error", "-print_format", "json", "-show_format",
                                                    "-show_streams", url.path])
        guard let root = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any],
              let format = root["format"] as? [String: Any],
              let durationText = format["duration"] as? String, let duration = Double(durationText),
              let streams = root["streams"] as? [[String: Any]] else { throw ParseError() }
        let formatTags = format["tags"] as? [String: Any] ?? [:]
        return FFprobeReport(
            durationSeconds: duration,
            majorBrand: formatTags["major_brand"] as? String,
            compatibleBrands: formatTags["compatible_brands"] as? String,
            streams: streams.map { stream in
                let tags = stream["tags"] as? [String: Any] ?? [:]
                let sideData = stream["side_data_list"] as? [[String: Any]] ?? []
                return Stream(codecType: stream["codec_type"] as? String ?? "",
                              width: stream["width"] as? Int, height: stream["height"] as? Int,
                              language: tags["language"] as? String,
                              rotation: sideData.lazy.compactMap { $0["rotation"] as? Int }.first)
            })
    }
}
