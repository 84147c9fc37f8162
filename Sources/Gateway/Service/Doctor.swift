import Foundation
import Intake
import MailTransport
import Store

/// One finding of `tuibao doctor`, worded for the operator in Chinese with the English gist.
public struct DoctorFinding: Sendable, Hashable, Codable {
    public enum Status: String, Sendable, Codable {
        case ok, warning, failed

        public var label: String {
            switch self {
            case .ok: "正常"
            case .warning: "注意"
            case .failed: "失败"
            }
        }
    }

    public var check: String
    public var status: Status
    public var message: String

    public init(_ check: String, _ status: Status, _ message: String) {
        self.check = check
        self.status = status
        self.message = message
    }
}

/// Checks an installation end to end before it is trusted with real mail: the data directory,
/// the templates, the units registry, and a real login to the IMAP and SMTP servers. Nothing is
/// fetched, moved or sent. Passwords are asked for through closures so they come from the same
/// place as for `serve` (systemd credentials, environment, password file) and never appear here.
public struct Doctor: Sendable {
    public let configuration: GatewayConfiguration
    public var imapPassword: @Sendable () throws -> String
    public var smtpPassword: @Sendable () throws -> String

    public init(configuration: GatewayConfiguration, imapPassword: @escaping @Sendable () throws -> String,
                smtpPassword: @escaping @Sendable () throws -> String) {
        self.configuration = configuration
        self.imapPassword = imapPassword
        self.smtpPassword = smtpPassword
    }

    public func run(network: Bool = true) -> [DoctorFinding] {
        var findings = [DoctorFinding("config", .ok, "配置文件可读 (configuration read): \(configuration.configFile.path)")]
        findings += dataDirectory()
        findings.append(templates())
        findings.append(units())
        findings += certificates()
        if network {
            findings += imap()
            findings.append(smtp())
        }
        return findings
    }

    // MARK: - Local checks

    func dataDirectory() -> [DoctorFinding] {
        let path = configuration.dataDirectory.path
        var findings: [DoctorFinding] = []
        do {
            let store = try TuibaoStore(dataDirectory: configuration.dataDirectory)
            findings.append(DoctorFinding("data-dir", .ok,
                                          "数据目录可用，数据库版本 \(try store.appliedMigrations().last ?? "?") (data directory usable): \(path)"))
        } catch {
            return [DoctorFinding("data-dir", .failed, "无法打开数据目录 (cannot open data directory) \(path): \(error)")]
        }
        guard access(path, W_OK) == 0 else {
            return findings + [DoctorFinding("data-dir", .failed, "数据目录不可写 (data directory not writable): \(path)")]
        }
        // Mail and attachments are personal data: nobody but the service account should read them.
        if let mode = (try? FileManager.default.attributesOfItem(atPath: path))?[.posixPermissions] as? Int, mode & 0o007 != 0 {
            findings.append(DoctorFinding("data-dir", .warning,
                                          "其他用户可以访问数据目录 (mode \(String(mode, radix: 8)))，建议 chmod 750 (data directory is open to other users)"))
        }
        return findings
    }

    func templates() -> DoctorFinding {
        do {
            let templates = try ReplyTemplates(directory: configuration.templatesDirectory)
            let sample = ReplyContext(
                trackingNumber: TrackingNumber(prefix: configuration.campaign.trackingPrefix, sequence: 1).description,
                campaignName: configuration.campaign.name, officeName: configuration.officeName,
                officeContact: configuration.officeContact, senderName: "张三", unitName: "示例研究所",
                originalSubject: "推报材料", receivedAt: "2026-01-01 09:00", versionNumber: 1,
                files: [(name: "推报表.docx", size: "36 KB")],
                problems: [Problem(code: .imageTooSmall, message: "图片 a.jpg 为 600 KB，小于 1 MB。")], earlier: ["示例"])
            for action in [Action.acknowledge, .correct, .alreadySubmitted] {
                let reply = try templates.render(action, context: sample)
                guard !reply.subject.isEmpty, !reply.body.isEmpty else {
                    return DoctorFinding("templates", .failed, "回复模板 \(action.rawValue) 渲染结果为空 (renders empty)")
                }
            }
            // With a committee review configured, its two mail templates must load and render too.
            if configuration.review != nil {
                let review = try ReviewTemplates(directory: configuration.templatesDirectory)
                let letter = try review.render(review.sheet, name: "review-sheet", ["round_name": "示例轮次", "reviewer_name": "张三", "deed_count": 1])
                let receipt = try review.render(review.receipt, name: "review-receipt", ["filed": false, "refusal": "示例"])
                guard !letter.body.isEmpty, !receipt.body.isEmpty else {
                    return DoctorFinding("templates", .failed, "评审邮件模板渲染结果为空 (a review mail template renders empty)")
                }
                return DoctorFinding("templates", .ok, "三个回复模板和两个评审邮件模板均可渲染 (all reply and review templates render): \(configuration.templatesDirectory.path)")
            }
            return DoctorFinding("templates", .ok, "三个回复模板均可渲染 (all reply templates render): \(configuration.templatesDirectory.path)")
        } catch {
            return DoctorFinding("templates", .failed, "\(error)")
        }
    }

    func units() -> DoctorFinding {
        let count = configuration.units.units.count
        return count == 0
            ? DoctorFinding("units", .warning, "单位名录为空：每封邮件都会被标记为 sender.unknown (units registry empty)")
            : DoctorFinding("units", .ok, "单位名录 \(count) 个单位 (units registered)")
    }

    func certificates() -> [DoctorFinding] {
        var findings: [DoctorFinding] = []
        let servers: [(String, ServerSettings.Security, String?)] =
            (configuration.imap.map { [("imap", $0.security, $0.caFile)] } ?? []) +
            (configuration.smtp.map { [("smtp", $0.security, $0.caFile)] } ?? [])
        for (name, security, caFile) in servers {
            if security == .none {
                findings.append(DoctorFinding("\(name)-tls", .warning,
                                              "[\(name)] 未加密 (security = none)：只可用于本机测试 (plain text, loopback tests only)"))
            }
            if let caFile, !FileManager.default.isReadableFile(atPath: caFile) {
                findings.append(DoctorFinding("\(name)-tls", .failed, "[\(name)] ca_file 不可读 (CA file unreadable): \(caFile)"))
            }
        }
        return findings
    }

    // MARK: - Servers

    func imap() -> [DoctorFinding] {
        guard let settings = configuration.imap else {
            return [DoctorFinding("imap", .warning, "没有 [imap] 部分：不会收取邮件 (no [imap] section: nothing will be polled)")]
        }
        let account = "\(settings.username)@\(settings.host)"
        let password: String
        do { password = try imapPassword() } catch { return [DoctorFinding("imap", .failed, "\(error)")] }
        do {
            let client = try IMAPClient(settings: ServerSettings(
                host: settings.host, port: settings.port, security: settings.security,
                username: settings.username, password: password, caFile: settings.caFile, connectTimeout: 15, timeout: 30))
            defer { client.disconnect() }
            try client.identify()
            let status = try client.status(of: settings.mailbox)
            var findings = [DoctorFinding("imap", .ok,
                                          "IMAP 登录、ID、邮箱 \(settings.mailbox) 正常：\(status.messages ?? 0) 封邮件，UIDVALIDITY \(status.uidValidity.map(String.init) ?? "无") (login, ID and mailbox OK): \(account)")]
            // IDLE: new mail taken in within seconds; without it, every poll_interval.
            let idle = try client.capabilitySet().contains("IDLE")
            switch (idle, settings.idle) {
            case (true, true):
                findings.append(DoctorFinding("imap-idle", .ok, "服务器支持 IDLE：新邮件到达后几秒内受理 (server offers IDLE: mail taken in within seconds)"))
            case (true, false):
                findings.append(DoctorFinding("imap-idle", .ok, "服务器支持 IDLE，但配置 idle = false：每 \(settings.pollIntervalSeconds) 秒收取 (server offers IDLE; disabled in the configuration: polling)"))
            case (false, _):
                findings.append(DoctorFinding("imap-idle", .warning, "服务器不支持 IDLE：每 \(settings.pollIntervalSeconds) 秒收取一次 (server offers no IDLE: polling every poll_interval)"))
            }
            let folders = settings.afterFiling == .move ? [settings.processedMailbox, settings.failedMailbox] : [settings.failedMailbox]
            for folder in folders where (try? client.status(of: folder)) == nil {
                findings.append(DoctorFinding("imap", .warning, "邮箱文件夹 \(folder) 不存在，首次收取时会创建 (folder missing; created on first poll)"))
            }
            return findings
        } catch {
            return [DoctorFinding("imap", .failed, "IMAP 检查失败 (IMAP check failed) \(account): \(error)")]
        }
    }

    func smtp() -> DoctorFinding {
        guard let settings = configuration.smtp else {
            return DoctorFinding("smtp", .warning, "没有 [smtp] 部分：回复只进入待发队列 (no [smtp] section: replies stay in the outbox)")
        }
        let account = settings.username.isEmpty ? settings.host : "\(settings.username)@\(settings.host)"
        do {
            let password = settings.username.isEmpty ? "" : try smtpPassword()
            let client = try SMTPClient(settings: ServerSettings(
                host: settings.host, port: settings.port, security: settings.security,
                username: settings.username, password: password, caFile: settings.caFile, connectTimeout: 15, timeout: 30),
                ehloName: settings.ehloName)
            try client.verify()
            return DoctorFinding("smtp", .ok, "SMTP 连接、EHLO\(settings.username.isEmpty ? "" : "、登录")正常 (EHLO\(settings.username.isEmpty ? "" : " + AUTH") OK): \(account)")
        } catch {
            return DoctorFinding("smtp", .failed, "SMTP 检查失败 (SMTP check failed) \(account): \(error)")
        }
    }
}
