/// The file-sharing services units use to send videos that do not fit in a mail, recognised by
/// host (and, for mail providers, by the large-attachment path).
public enum LinkProvider: String, Sendable, Equatable, Hashable, Codable, CaseIterable {
    case qqMailLargeAttachment
    case netEaseLargeAttachment
    case baiduPan
    case cstCloud
    case aliyunDrive
    case weTransfer
    case jianguoyun
    case weiyun
    case lanzou
    /// Any other http(s) link.
    case other

    /// The name staff and units know the service by.
    public var displayName: String {
        switch self {
        case .qqMailLargeAttachment: "QQ邮箱超大附件"
        case .netEaseLargeAttachment: "网易邮箱超大附件"
        case .baiduPan: "百度网盘"
        case .cstCloud: "中国科技云盘"
        case .aliyunDrive: "阿里云盘"
        case .weTransfer: "WeTransfer"
        case .jianguoyun: "坚果云"
        case .weiyun: "腾讯微云"
        case .lanzou: "蓝奏云"
        case .other: "其他链接"
        }
    }

    /// The provider of a link, from its lowercased host and path.
    static func recognise(host: String, path: String) -> LinkProvider {
        let host = host.lowercased()
        let path = path.lowercased()
        func under(_ domain: String) -> Bool { host == domain || host.hasSuffix("." + domain) }

        if under("mail.qq.com") || under("exmail.qq.com") {
            return path.contains("ftn") ? .qqMailLargeAttachment : .other
        }
        if under("fs.163.com") || under("fs.126.com") { return .netEaseLargeAttachment }
        if under("163.com") || under("126.com") || under("yeah.net") {
            return path.contains("large-attachment") || path.contains("largeattachment") ? .netEaseLargeAttachment : .other
        }
        if under("pan.baidu.com") || under("yun.baidu.com") { return .baiduPan }
        if under("pan.cstcloud.cn") { return .cstCloud }
        if under("aliyundrive.com") || under("alipan.com") { return .aliyunDrive }
        if under("we.tl") || under("wetransfer.com") { return .weTransfer }
        if under("jianguoyun.com") { return .jianguoyun }
        if under("weiyun.com") { return .weiyun }
        // Lanzou rotates domains: lanzoux.com, lanzoui.com, wwi.lanzoup.com …
        let labels = host.split(separator: ".")
        if labels.count >= 2, labels[labels.count - 1] == "com", labels[labels.count - 2].hasPrefix("lanzou") {
            return .lanzou
        }
        return .other
    }
}
