import Foundation
import Intake
import Materials

/// The Chinese sentence for each problem: what is wrong, with the numbers, and what to do.
/// Units read these in the correction request; staff read them in `tuibao show`.
struct ProblemMessages {
    let rules: CampaignRules

    func formMissing() -> Problem {
        Problem(code: .formMissing, message: "未找到推报表（附件1）。请按通知附件1填写推报表，作为附件随邮件发送。")
    }

    func formUnreadable(_ name: String, reason: String?) -> Problem {
        Problem(code: .formMissing,
                message: "无法读取推报表“\(name)”\(reason.map { "（\($0)）" } ?? "")。请按通知附件1的格式填写，以 Word 文件重新发送。")
    }

    func formIncomplete(_ labels: [String], file: String?) -> Problem {
        Problem(code: .formIncomplete,
                message: "推报表\(file.map { "“\($0)”" } ?? "")中以下栏目未填写：\(labels.joined(separator: "、"))。请填写完整后重新发送。")
    }

    func materialMissing() -> Problem {
        Problem(code: .materialMissing,
                message: "未收到征文或视频。每项推报须附征文（\(rules.essayNominal)），或“镜头中的最美科学家”视频（也可发送视频下载链接）。")
    }

    func essayTooShort(_ name: String, words: Int) -> Problem {
        Problem(code: .essayTooShort,
                message: "征文“\(name)”约 \(words) 字，少于要求的\(rules.essayNominal)（不少于 \(rules.essayMinWords) 字）。请补充后重新发送。")
    }

    func essayTooLong(_ name: String, words: Int) -> Problem {
        Problem(code: .essayTooLong,
                message: "征文“\(name)”约 \(words) 字，超过要求的\(rules.essayNominal)（不超过 \(rules.essayMaxWords) 字）。请精简后重新发送。")
    }

    func essayUnreadable(_ name: String, reason: String) -> Problem {
        Problem(code: .essayUnreadable,
                message: "无法读取征文“\(name)”的文字（\(reason)）。请另存为 Word（.docx）或 PDF 文件后重新发送。")
    }

    func imageMissing() -> Problem {
        Problem(code: .imageMissing,
                message: "征文未附代表性图片。请另附 1 张以上图片，每张不小于 \(SizeText.of(Int64(rules.imageMinBytes)))（JPG、PNG 等原图）。")
    }

    func imageTooSmall(_ name: String, size: Int) -> Problem {
        Problem(code: .imageTooSmall,
                message: "图片“\(name)”为 \(SizeText.of(Int64(size)))，小于 \(SizeText.of(Int64(rules.imageMinBytes)))。请发送未经压缩的原图。")
    }

    func embeddedImagesTooSmall(count: Int, largest: Int) -> Problem {
        Problem(code: .imageTooSmall,
                message: "征文中嵌入的 \(count) 张图片均小于 \(SizeText.of(Int64(rules.imageMinBytes)))（最大 \(SizeText.of(Int64(largest)))），Word 保存时通常会压缩图片。请将原图另作附件发送。")
    }

    func videoNotMp4(_ name: String, container: String) -> Problem {
        Problem(code: .videoNotMp4,
                message: "视频“\(name)”不是 mp4 格式（\(container)）。请转换为 mp4 后重新发送。")
    }

    func videoTooShort(_ name: String, seconds: Double) -> Problem {
        Problem(code: .videoTooShort,
                message: "视频“\(name)”时长 \(Self.duration(seconds))，短于要求的 \(Self.duration(rules.videoMinSeconds))～\(Self.duration(rules.videoMaxSeconds))。")
    }

    func videoTooLong(_ name: String, seconds: Double) -> Problem {
        Problem(code: .videoTooLong,
                message: "视频“\(name)”时长 \(Self.duration(seconds))，超过要求的 \(Self.duration(rules.videoMinSeconds))～\(Self.duration(rules.videoMaxSeconds))。")
    }

    func videoLowResolution(_ name: String, width: Int, height: Int) -> Problem {
        Problem(code: .videoLowResolution,
                message: "视频“\(name)”分辨率为 \(width)×\(height)，低于要求的 \(rules.videoMinLongSide)×\(rules.videoMinShortSide)（1080p）。请发送高清原片。")
    }

    func videoUnreadable(_ name: String, reason: String?) -> Problem {
        Problem(code: .videoUnreadable,
                message: "无法读取视频“\(name)”\(reason.map { "（\($0)）" } ?? "")。请重新导出 mp4 文件后发送。")
    }

    func pendingLink(_ link: PendingLink) -> Problem {
        Problem(code: .videoPendingLink,
                message: "已记录\(link.provider.displayName)下载链接\(link.code.map { "（提取码 \($0)）" } ?? "")，工作人员下载后将核对视频要求：\(link.url)")
    }

    func unsafe(_ name: String, reason: String?) -> Problem {
        Problem(code: .attachmentUnsafe,
                message: "附件“\(name)”\(reason ?? "存在安全风险")，出于安全原因未予处理。请直接发送文档、图片或视频文件。")
    }

    func unchecked(_ name: String, reason: String?) -> Problem {
        Problem(code: .attachmentUnreadable,
                message: "附件“\(name)”未能完成自动检查\(reason.map { "（\($0)）" } ?? "")，工作人员将人工查看，如有问题会另行联系。")
    }

    func nomineeLeader(nominee: String?, position: String, title: String) -> Problem {
        Problem(code: .nomineeLeader,
                message: "推报对象\(nominee.map { "“\($0)”" } ?? "")的职务为“\(position)”；通知提示所局级领导干部一般不作为个人推报对象，工作人员将核实。")
    }


    /// "3分20秒", "15分钟".
    static func duration(_ seconds: Double) -> String {
        let total = Int(seconds.rounded())
        let minutes = total / 60, rest = total % 60
        if rest == 0 { return "\(minutes)分钟" }
        return minutes == 0 ? "\(rest)秒" : "\(minutes)分\(rest)秒"
    }
}
