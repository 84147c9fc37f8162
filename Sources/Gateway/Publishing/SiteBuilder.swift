import Crypto
import Foundation
import Intake
import MaterialChecks
import Materials
import Store

/// What `tuibao publish build` did.
public struct SiteBuildReport: Sendable {
    /// Tracking numbers of the deeds on the site, in the order they were marked.
    public var deeds: [String] = []
    /// Marked deeds left off, with why (a deed no longer acknowledged or accepted).
    public var skipped: [(trackingNumber: String, reason: String)] = []
    /// Files written (new or changed), unchanged, and deleted, as paths inside the site.
    public var written: [String] = []
    public var unchanged: [String] = []
    public var deleted: [String] = []
    /// Pictures or posters that could not be made (the page shows the rest).
    public var warnings: [String] = []
}

/// Builds the website column (专题) as a static site from the deeds staff marked:
///
///     index.html              by category (团队 / 个人) and unit
///     deeds/YS2018-0001.html  one page per deed, named by tracking number (a stable URL)
///     media/<hash>-480.jpg …  pictures for the web at several widths; media/<hash>.jpg the original
///     media/<hash>.mp4, media/<hash>-poster.jpg   the video and a frame of it
///     feed.xml                an Atom feed of the deeds on the column
///     sitemap.xml
///     style.css               from the templates folder
///
/// Re-running updates the site in place: every file's bytes are compared before it is written
/// (unchanged files keep their modification time); media are named by the content's SHA-256 and
/// made once; files of an earlier build that are no longer part of the site (a deed taken off)
/// are deleted. Only files the builder wrote (listed in `.tuibao-site.json`) are ever deleted.
/// File names come from tracking numbers and hashes, never from a mail's file names.
public struct SiteBuilder {
    let pipeline: IntakePipeline
    var store: TuibaoStore { pipeline.store }
    var configuration: GatewayConfiguration { pipeline.configuration }
    let templates: SiteTemplates
    let media = SiteMedia()

    static let manifestName = ".tuibao-site.json"

    public init(pipeline: IntakePipeline) throws {
        self.pipeline = pipeline
        templates = try SiteTemplates(directory: SiteTemplates.directory(in: pipeline.configuration.templatesDirectory))
    }

    /// - Parameter baseURL: where the site is served (ends in `/`); the feed and the sitemap
    ///   carry absolute addresses under it. Pages link to each other relatively.
    public func build(to directory: URL, baseURL: URL) throws -> SiteBuildReport {
        var report = SiteBuildReport()
        var output = SiteOutput(root: directory)
        try output.prepare()

        var pages: [DeedPage] = []
        let honours = try store.reviewChoices()
        for deed in try store.publishedDeeds() {
            let submission = deed.submission
            guard submission.status.isPublishable, submission.mergedIntoId == nil else {
                report.skipped.append((submission.trackingNumber,
                                       "状态为“\(submission.status.label)”，不再发布 (no longer acknowledged or accepted)"))
                continue
            }
            guard SiteText.isSafeFileName(submission.trackingNumber) else {
                report.skipped.append((submission.trackingNumber, "受理编号不能作文件名 (tracking number unusable as a file name)"))
                continue
            }
            pages.append(try page(for: deed, honours: honours[submission.id!] ?? [], output: &output, report: &report))
        }

        output.file("style.css", templates.stylesheet)
        for page in pages {
            output.file(page.path, Data(templates.deed.render(page.context).utf8))
        }
        output.file("index.html", Data(templates.index.render(indexContext(pages)).utf8))
        let lastChanged = try store.publishingLastChanged() ?? Date(timeIntervalSince1970: 0)
        output.file("feed.xml", Data(feed(pages, updated: lastChanged, baseURL: baseURL).utf8))
        output.file("sitemap.xml", Data(sitemap(pages, updated: lastChanged, baseURL: baseURL).utf8))

        try output.commit(into: &report)
        report.deeds = pages.map(\.trackingNumber)
        return report
    }

    // MARK: One deed

    struct DeedPage {
        var trackingNumber: String
        var path: String
        var title: String
        var unit: String
        var nominee: String
        var category: String
        var publishedAt: Date
        var thumbnail: [String: Any]?
        /// The review rounds that chose it as one of the year's best.
        var honours: [String]
        var context: [String: Any]
    }

    private func page(for deed: PublishedDeed, honours: [String], output: inout SiteOutput, report: inout SiteBuildReport) throws -> DeedPage {
        let submission = deed.submission
        let materials = try self.materials(of: submission)
        let title = SiteText.clean(submission.title ?? materials.form?.deedTitle ?? "（未填写事迹标题）")
        let unit = SiteText.clean(submission.unitName ?? materials.form?.unit ?? "（未注明单位）")
        let nominee = SiteText.clean(submission.nominee ?? materials.form?.nominee ?? "")
        let category = submission.category ?? materials.form?.category?.chineseName ?? "其他"

        var pictures: [[String: Any]] = []
        for (index, picture) in materials.pictures.enumerated() {
            do {
                var made = try webPicture(picture, output: &output)
                made["alt"] = "\(title)（图\(index + 1)）"
                made["number"] = index + 1
                pictures.append(made)
            } catch {
                report.warnings.append("\(submission.trackingNumber) 图\(index + 1): \(error)")
            }
        }

        var video: [String: Any]?
        if let file = materials.video {
            do {
                video = try webVideo(file, output: &output)
            } catch {
                report.warnings.append("\(submission.trackingNumber) 视频: \(error)")
            }
        }
        let links = video == nil ? materials.links.filter { SiteText.isWebLink($0.url) } : []
        let paragraphs = (materials.essay ?? "").split(whereSeparator: \.isNewline)
            .map { SiteText.clean($0.trimmingCharacters(in: .whitespaces.union(CharacterSet(charactersIn: "\u{3000}")))) }
            .filter { !$0.isEmpty }
        let summary = SiteText.clean(materials.form?.summary ?? "")
        let publishedOn = SiteText.day(deed.mark.publishedAt, zone: configuration.timeZone)

        let context: [String: Any] = [
            "campaign_name": SiteText.clean(configuration.campaign.name), "office_name": SiteText.clean(configuration.officeName),
            "tracking_number": submission.trackingNumber, "title": title, "unit": unit, "nominee": nominee,
            "has_nominee": !nominee.isEmpty, "category": category, "published_on": publishedOn,
            "summary": summary, "has_summary": !summary.isEmpty,
            "paragraphs": paragraphs.map { ["text": $0] }, "has_essay": !paragraphs.isEmpty,
            "pictures": pictures, "has_pictures": !pictures.isEmpty,
            "video": video ?? false, "has_video": video != nil,
            "video_links": links.map { link -> [String: Any] in
                ["url": link.url, "provider": link.provider.displayName, "code": SiteText.clean(link.code ?? ""), "has_code": link.code != nil]
            },
            "has_video_links": !links.isEmpty,
            "honours": honours.map { ["round": SiteText.clean($0)] }, "has_honours": !honours.isEmpty,
            "stylesheet": "../style.css", "index_href": "../index.html", "feed_href": "../feed.xml",
        ]
        var thumbnail: [String: Any]?
        if let first = pictures.first {
            thumbnail = ["src": first["thumbnail_src"]!, "width": first["thumbnail_width"]!, "height": first["thumbnail_height"]!]
        } else if let video {
            thumbnail = ["src": video["thumbnail_src"]!, "width": video["thumbnail_width"]!, "height": video["thumbnail_height"]!]
        }
        return DeedPage(trackingNumber: submission.trackingNumber, path: "deeds/\(submission.trackingNumber).html", title: title,
                        unit: unit, nominee: nominee, category: category, publishedAt: deed.mark.publishedAt,
                        thumbnail: thumbnail, honours: honours, context: context)
    }

    /// What a deed holds, from its current version: the form's facts, the essay's text (a file,
    /// or the text pasted into the mail), the pictures and the video (attached, or inside an
    /// archive), and the download links still pending.
    struct Materials {
        var form: NominationForm?
        var essay: String?
        var pictures: [(sha256: String, image: ImageInfo)] = []
        var video: (sha256: String, video: VideoFacts)?
        var links: [PendingLink] = []
    }

    private func materials(of submission: SubmissionRecord) throws -> Materials {
        let id = submission.id!
        let files = try store.currentFiles(of: id)
        var found = Materials()
        var seenPictures: Set<String> = []
        let (version, message): (VersionRecord?, MessageRecord?) = try store.read { reader in
            let version = try reader.latestVersion(ofSubmission: id)
            return (version, try version.flatMap { try reader.message(id: $0.messageRowId) })
        }
        try store.read { reader in
            for file in files where [.form, .essay, .picture, .video, .container].contains(file.role) {
                guard let facts = try reader.cachedFacts(sha256: file.sha256).lazy.compactMap(MaterialFacts.init(json:)).first else { continue }
                for item in facts.flattened where store.files.contains(sha256: item.sha256) || item.kind == .form || item.kind == .essay {
                    switch item.kind {
                    case .form where found.form == nil: found.form = item.form
                    case .essay where found.essay == nil: found.essay = item.text
                    case .image:
                        if let image = item.image, !seenPictures.contains(item.sha256) {
                            seenPictures.insert(item.sha256)
                            found.pictures.append((item.sha256, image))
                        }
                    case .video where found.video == nil:
                        if let video = item.video, video.isMP4 { found.video = (item.sha256, video) }
                    default: break
                    }
                }
            }
        }
        if found.essay == nil, let message {
            // An essay pasted into the mail is the text of the mail (as intake counted it).
            let body = pipeline.bodyText(of: message)
            if WordCount.count(body) >= configuration.rules.pastedEssayMinWords { found.essay = body }
        }
        found.links = version.flatMap { PendingLink.list(json: $0.pendingLinks) } ?? []
        return found
    }

    // MARK: Media

    private func webPicture(_ picture: (sha256: String, image: ImageInfo), output: inout SiteOutput) throws -> [String: Any] {
        let source = store.files.path(forSHA256: picture.sha256)
        let stem = "media/\(SiteText.shortHash(picture.sha256))"
        let image = picture.image
        var renditions: [(path: String, width: Int, height: Int)] = []
        for width in SiteMedia.widths(for: image.width) {
            let path = "\(stem)-\(width).jpg"
            try output.media(path) { try media.resize(source, format: image.format, width: width, to: $0) }
            renditions.append((path, width, max(1, Int((Double(image.height) * Double(width) / Double(max(image.width, 1))).rounded()))))
        }
        let original = "\(stem).\(SiteMedia.fileExtension(image.format))"
        try output.media(original) { try FileManager.default.copyItem(at: source, to: $0) }
        let display = renditions.first { $0.width >= 960 } ?? renditions.last!
        let thumbnail = renditions.first!
        return [
            "src": "../\(display.path)", "width": display.width, "height": display.height,
            "srcset": renditions.map { "../\($0.path) \($0.width)w" }.joined(separator: ", "),
            "sizes": "(max-width: 760px) 100vw, 720px",
            "original": "../\(original)", "original_width": image.width, "original_height": image.height,
            "thumbnail_src": thumbnail.path, "thumbnail_width": thumbnail.width, "thumbnail_height": thumbnail.height,
        ]
    }

    private func webVideo(_ file: (sha256: String, video: VideoFacts), output: inout SiteOutput) throws -> [String: Any] {
        let source = store.files.path(forSHA256: file.sha256)
        let stem = "media/\(SiteText.shortHash(file.sha256))"
        let facts = file.video
        let width = min(SiteMedia.posterWidth, max(facts.width, 2)) / 2 * 2
        let height = max(2, Int((Double(facts.height) * Double(width) / Double(max(facts.width, 1)) / 2).rounded()) * 2)
        let poster = "\(stem)-poster.jpg"
        // A frame a little way in (the first is often black), never past the end.
        let seconds = min(3, facts.durationSeconds / 10)
        try output.media(poster) { try media.poster(source, seconds: seconds, width: width, to: $0) }
        let copy = "\(stem).mp4"
        try output.media(copy) { try FileManager.default.copyItem(at: source, to: $0) }
        let minutes = Int(facts.durationSeconds) / 60, seconds2 = Int(facts.durationSeconds) % 60
        return ["src": "../\(copy)", "poster": "../\(poster)", "width": width, "height": height,
                "duration": "\(minutes) 分 \(seconds2) 秒",
                "thumbnail_src": poster, "thumbnail_width": width, "thumbnail_height": height]
    }

    // MARK: Index, feed, sitemap

    private func indexContext(_ pages: [DeedPage]) -> [String: Any] {
        let order = ["团队", "个人", "其他"]
        let categories: [[String: Any]] = order.compactMap { name in
            let inCategory = pages.filter { $0.category == name }
            guard !inCategory.isEmpty else { return nil }
            let units = Dictionary(grouping: inCategory, by: \.unit).sorted { $0.key < $1.key }
            return [
                "name": name, "count": inCategory.count,
                "units": units.map { unit, deeds -> [String: Any] in
                    ["name": unit, "deeds": deeds.sorted { $0.trackingNumber < $1.trackingNumber }.map { page -> [String: Any] in
                        var deed: [String: Any] = ["href": page.path, "title": page.title, "nominee": page.nominee,
                                                   "has_nominee": !page.nominee.isEmpty, "tracking_number": page.trackingNumber,
                                                   "has_thumbnail": page.thumbnail != nil]
                        if let thumbnail = page.thumbnail { deed["thumbnail"] = thumbnail }
                        return deed
                    }]
                },
            ]
        }
        let best = pages.filter { !$0.honours.isEmpty }.sorted { $0.trackingNumber < $1.trackingNumber }.map { page -> [String: Any] in
            ["href": page.path, "title": page.title, "unit": page.unit, "rounds": page.honours.map(SiteText.clean).joined(separator: "、")]
        }
        return ["campaign_name": SiteText.clean(configuration.campaign.name), "office_name": SiteText.clean(configuration.officeName),
                "count": pages.count, "has_deeds": !pages.isEmpty, "categories": categories,
                "best": best, "has_best": !best.isEmpty,
                "stylesheet": "style.css", "feed_href": "feed.xml"]
    }

    private func feed(_ pages: [DeedPage], updated: Date, baseURL: URL) -> String {
        let zone = configuration.timeZone
        let base = baseURL.absoluteString
        var xml = """
            <?xml version="1.0" encoding="utf-8"?>
            <feed xmlns="http://www.w3.org/2005/Atom" xml:lang="zh-CN">
              <title>\(SiteText.xml(configuration.campaign.name))</title>
              <subtitle>\(SiteText.xml("「一所一人一事」先进事迹专栏"))</subtitle>
              <id>\(SiteText.urn("feed:\(configuration.campaign.id)"))</id>
              <updated>\(SiteText.timestamp(updated, zone: zone))</updated>
              <link rel="self" type="application/atom+xml" href="\(SiteText.xml(base + "feed.xml"))"/>
              <link rel="alternate" type="text/html" href="\(SiteText.xml(base + "index.html"))"/>
              <author><name>\(SiteText.xml(configuration.officeName.isEmpty ? configuration.campaign.name : configuration.officeName))</name></author>

            """
        for page in pages.sorted(by: { ($0.publishedAt, $0.trackingNumber) > ($1.publishedAt, $1.trackingNumber) }) {
            let when = SiteText.timestamp(page.publishedAt, zone: zone)
            let who = page.nominee.isEmpty ? page.unit : "\(page.unit) · \(page.nominee)"
            xml += """
                  <entry>
                    <title>\(SiteText.xml(page.title))</title>
                    <id>\(SiteText.urn("deed:\(configuration.campaign.id):\(page.trackingNumber)"))</id>
                    <link rel="alternate" type="text/html" href="\(SiteText.xml(base + page.path))"/>
                    <published>\(when)</published>
                    <updated>\(when)</updated>
                    <summary>\(SiteText.xml("\(page.category)｜\(who)"))</summary>
                  </entry>

                """
        }
        return xml + "</feed>\n"
    }

    private func sitemap(_ pages: [DeedPage], updated: Date, baseURL: URL) -> String {
        let zone = configuration.timeZone
        let base = baseURL.absoluteString
        var xml = """
            <?xml version="1.0" encoding="UTF-8"?>
            <urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
              <url><loc>\(SiteText.xml(base + "index.html"))</loc><lastmod>\(SiteText.day(updated, zone: zone))</lastmod></url>

            """
        for page in pages.sorted(by: { $0.trackingNumber < $1.trackingNumber }) {
            xml += "  <url><loc>\(SiteText.xml(base + page.path))</loc><lastmod>\(SiteText.day(page.publishedAt, zone: zone))</lastmod></url>\n"
        }
        return xml + "</urlset>\n"
    }
}

/// Text from mail on its way to a page or the feed, and names made for the site. One escaper
/// for every page we write (the column's pages, feed and sitemap, and the office report):
/// control characters dropped, the five markup characters escaped.
public enum SiteText {
    /// Drops control characters (but line breaks and tabs), which neither XML nor a page can carry.
    public static func clean(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.filter {
            $0 == "\n" || $0 == "\t" || !($0.properties.generalCategory == .control || $0.value == 0xFFFE || $0.value == 0xFFFF)
        }))
    }

    /// Escaped for XML and HTML text and attribute values.
    public static func xml(_ text: String) -> String {
        var escaped = ""
        for character in clean(text) {
            switch character {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&apos;"
            default: escaped.append(character)
            }
        }
        return escaped
    }

    /// A tracking number as a file name: letters, digits and hyphens only.
    static func isSafeFileName(_ name: String) -> Bool {
        !name.isEmpty && name.count <= 64 && !name.hasPrefix("-")
            && name.unicodeScalars.allSatisfy { ($0.isASCII && CharacterSet.alphanumerics.contains($0)) || $0 == "-" }
    }

    /// Only http(s) links reach a page (a `javascript:` link would run).
    static func isWebLink(_ text: String) -> Bool {
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased() else { return false }
        return (scheme == "http" || scheme == "https") && url.host != nil
    }

    static func shortHash(_ sha256: String) -> String { String(sha256.prefix(20)) }

    /// A stable Atom id: a name-based UUID (SHA-256 of the name, version bits set as for v5).
    static func urn(_ name: String) -> String {
        var bytes = Array(SHA256.hash(data: Data("tuibao:\(name)".utf8)).prefix(16))
        bytes[6] = (bytes[6] & 0x0F) | 0x50
        bytes[8] = (bytes[8] & 0x3F) | 0x80
        let hex = bytes.map { String(format: "%02x", $0) }.joined()
        let parts = [hex.prefix(8), hex.dropFirst(8).prefix(4), hex.dropFirst(12).prefix(4), hex.dropFirst(16).prefix(4), hex.dropFirst(20)]
        return "urn:uuid:" + parts.joined(separator: "-")
    }

    /// RFC 3339 in the campaign's zone ("2018-05-14T09:31:02+08:00").
    static func timestamp(_ date: Date, zone: TimeZone) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = zone
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }

    static func day(_ date: Date, zone: TimeZone) -> String {
        String(timestamp(date, zone: zone).prefix(10))
    }
}
