import Foundation
import Intake
import MailTransport
import Fingerprints
import MaterialChecks
import Materials
import TOMLKit

/// Everything the gateway is told by its operator. Read from TOML (`Config/tuibao.toml` is the
/// documented sample); relative paths resolve against the config file's directory.
public struct GatewayConfiguration: Sendable {
    public var configFile: URL
    public var dataDirectory: URL
    /// Addresses that are "us": never filed, never answered.
    public var ownAddresses: [String]
    /// The domain of our reply Message-IDs.
    public var replyDomain: String
    public var officeName: String
    public var officeContact: String
    public var templatesDirectory: URL
    public var campaign: CampaignSettings
    public var units: UnitRegistry
    /// The mailbox to poll (nil: no [imap] section; ingest only).
    public var imap: IMAPSettings?
    /// The server replies go out through (nil: no [smtp] section; replies wait in the outbox).
    public var smtp: SMTPSettings?
    /// Limits on automatic replies to one address ([replies]).
    public var replyThrottle: ReplyThrottle
    /// The campaign's material rules ([rules]): 字数, image size, video, required form fields.
    public var rules: CampaignRules
    /// When two essays or titles count as the same deed ([duplicates]).
    public var duplicateThresholds: DuplicateThresholds
    /// Whether readers of mail run in a child process, and its limits ([examiner]).
    public var examiner = ExaminerSettings()
    /// The campaign's clock (`timezone`, default Asia/Shanghai): every time shown to staff and
    /// units, every timestamp in JSON and in the log, is given in it.
    public var timeZone = GatewayConfiguration.beijing
    /// The committee review ([review]); nil when the section is absent (`tuibao review` says so).
    public var review: ReviewSettings? = nil

    public static let beijing = TimeZone(identifier: "Asia/Shanghai") ?? TimeZone(secondsFromGMT: 8 * 3600)!

    public struct ExaminerSettings: Sendable, Hashable {
        /// Parse and read materials in `tuibao examine` children (default); false reads in the
        /// service's own process, where a reader's crash takes the service down.
        public var isolate = true
        public var limits = ExaminerLimits()
    }

    public struct SMTPSettings: Sendable, Hashable {
        public var host: String
        public var port: Int?
        public var security: ServerSettings.Security
        public var username: String
        public var passwordFile: String?
        public var caFile: String?
        public var ehloName: String
        public var fromAddress: String
        public var maxAttempts: Int
        public var retryBaseSeconds: Int
        /// Seconds between the dispatcher's periodic passes (retries); a reply queued by intake
        /// wakes it at once.
        public var sendIntervalSeconds: Int
    }

    public struct IMAPSettings: Sendable, Hashable {
        public var host: String
        public var port: Int?
        /// tls (imaps://), starttls, or none (only with insecure = true, for loopback tests).
        public var security: ServerSettings.Security
        public var username: String
        public var passwordFile: String?
        public var caFile: String?
        public var mailbox: String
        public var processedMailbox: String
        public var failedMailbox: String
        public var afterFiling: AfterFiling
        public var maxAttempts: Int
        /// Seconds between polls: the only trigger without IDLE, a safety net with it.
        public var pollIntervalSeconds: Int
        /// Wait for new mail with IMAP IDLE on a connection of its own (when the server offers it).
        public var idle: Bool
        /// IDLE is ended and issued again at least this often (servers drop idle clients at 30 minutes).
        public var idleRenewSeconds: Int
        /// An IDLE connection that does not answer DONE or NOOP within this is dead: reconnect.
        public var idleAnswerSeconds: Int
    }

    /// What becomes of a filed message on the server.
    public enum AfterFiling: String, Sendable, Hashable {
        /// Moved to `processed_mailbox`.
        case move
        /// Marked \Seen and $Tuibao, left in place.
        case flag
    }

    public struct CampaignSettings: Sendable, Hashable {
        public var id: String
        public var name: String
        public var trackingPrefix: String
        public var opensOn: String?
        public var closesOn: String?
    }

    /// Where the configuration is: `--config`, else `$TUIBAO_CONFIG`, else `Config/tuibao.toml`
    /// under the current directory, else `/etc/tuibao/tuibao.toml`.
    public static func locate(explicit: String?, environment: [String: String] = ProcessInfo.processInfo.environment,
                              currentDirectory: URL = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)) -> URL {
        if let explicit { return URL(fileURLWithPath: explicit, relativeTo: currentDirectory).standardizedFileURL }
        if let fromEnvironment = environment["TUIBAO_CONFIG"], !fromEnvironment.isEmpty {
            return URL(fileURLWithPath: fromEnvironment, relativeTo: currentDirectory).standardizedFileURL
        }
        let local = currentDirectory.appendingPathComponent("Config/tuibao.toml")
        if FileManager.default.fileExists(atPath: local.path) { return local }
        return URL(fileURLWithPath: "/etc/tuibao/tuibao.toml")
    }

    /// The notice's rules with no configuration file (`tuibao check` on a machine not set up):
    /// our mailbox, the default rules, no units registry, no servers, replies not worded.
    public static func noticeDefaults(dataDirectory: URL) -> GatewayConfiguration {
        GatewayConfiguration(
            configFile: URL(fileURLWithPath: "/dev/null"), dataDirectory: dataDirectory, ownAddresses: ["xcb@cashq.ac.cn"],
            replyDomain: "cashq.ac.cn", officeName: "", officeContact: "", templatesDirectory: URL(fileURLWithPath: "/dev/null"),
            campaign: CampaignSettings(id: "default", name: "一所一人一事", trackingPrefix: "YS", opensOn: nil, closesOn: nil),
            units: UnitRegistry(units: []), imap: nil, smtp: nil, replyThrottle: ReplyThrottle(), rules: CampaignRules(),
            duplicateThresholds: .default)
    }

    public static func load(from file: URL, dataDirectoryOverride: String? = nil) throws -> GatewayConfiguration {
        let text: String
        do {
            text = try String(contentsOf: file, encoding: .utf8)
        } catch {
            throw ConfigurationError("无法读取配置文件 (cannot read configuration) \(file.path): \(error.localizedDescription)")
        }
        let raw: RawConfiguration
        do {
            raw = try TOMLDecoder().decode(RawConfiguration.self, from: text)
        } catch {
            throw ConfigurationError("配置文件有误 (invalid configuration) \(file.path): \(error)")
        }
        let base = file.deletingLastPathComponent()
        func resolve(_ path: String) -> URL {
            URL(fileURLWithPath: path, relativeTo: base).standardizedFileURL
        }
        let unitsFile = resolve(raw.unitsFile ?? "units.toml")
        let units = try FileManager.default.fileExists(atPath: unitsFile.path) ? loadUnits(unitsFile) : UnitRegistry(units: [])
        guard !raw.campaign.trackingPrefix.isEmpty, raw.campaign.trackingPrefix.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) else {
            throw ConfigurationError("tracking_prefix 只能由字母和数字组成 (letters and digits only): \(raw.campaign.trackingPrefix)")
        }
        guard !raw.ownAddresses.isEmpty else { throw ConfigurationError("own_addresses 不能为空 (must name our mailbox)") }
        let timeZone = try raw.timezone.map { name in
            guard let zone = TimeZone(identifier: name) else {
                throw ConfigurationError("timezone 不是有效的时区名 (not a time zone name such as Asia/Shanghai): \(name)")
            }
            return zone
        } ?? beijing
        let dataDirectory = dataDirectoryOverride.map {
            URL(fileURLWithPath: $0, relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath)).standardizedFileURL
        } ?? resolve(raw.dataDir)
        return GatewayConfiguration(
            configFile: file, dataDirectory: dataDirectory, ownAddresses: raw.ownAddresses,
            replyDomain: raw.replyDomain ?? raw.ownAddresses[0].split(separator: "@").last.map(String.init) ?? "localhost",
            officeName: raw.officeName, officeContact: raw.officeContact ?? "",
            templatesDirectory: resolve(raw.templatesDir ?? "templates"),
            campaign: CampaignSettings(id: raw.campaign.id, name: raw.campaign.name, trackingPrefix: raw.campaign.trackingPrefix,
                                       opensOn: raw.campaign.opensOn, closesOn: raw.campaign.closesOn),
            units: units, imap: try raw.imap.map { try imapSettings($0, resolve: resolve) },
            smtp: try raw.smtp.map { try smtpSettings($0, ownAddress: raw.ownAddresses[0], resolve: resolve) },
            replyThrottle: try replyThrottle(raw.replies), rules: try campaignRules(raw.rules),
            duplicateThresholds: try duplicateThresholds(raw.duplicates), examiner: try examinerSettings(raw.examiner),
            timeZone: timeZone, review: try raw.review.map { try reviewSettings($0, units: units) })
    }

    /// `[review]`: every mistake named in Chinese with the English gist.
    static func reviewSettings(_ raw: RawReview, units: UnitRegistry) throws -> ReviewSettings {
        let criteria = (raw.criteria ?? []).map { ReviewCriterion(name: $0.name.trimmingCharacters(in: .whitespaces), weight: $0.weight) }
        guard !criteria.isEmpty else {
            throw ConfigurationError("[review] criteria 不能为空：请列出评审标准及权重，如 { name = \"感染力\", weight = 0.3 } (name the criteria and their weights)")
        }
        for criterion in criteria {
            guard !criterion.name.isEmpty, !criterion.name.contains("=") else {
                throw ConfigurationError("[review] 评审标准的名称不能为空，也不能含“=” (a criterion needs a name without '='): \(criterion.name)")
            }
            guard criterion.weight.isFinite, criterion.weight > 0 else {
                throw ConfigurationError("[review] 评审标准「\(criterion.name)」的权重必须大于 0 (weights must be positive): \(criterion.weight)")
            }
        }
        if let repeated = Dictionary(grouping: criteria, by: \.name).first(where: { $0.value.count > 1 })?.key {
            throw ConfigurationError("[review] 评审标准「\(repeated)」重复 (criterion named twice)")
        }
        var reviewers: [Reviewer] = []
        for (index, entry) in (raw.reviewer ?? []).enumerated() {
            let name = entry.name.trimmingCharacters(in: .whitespaces)
            let address = entry.address.trimmingCharacters(in: .whitespaces)
            let place = "[[review.reviewer]] 第 \(index + 1) 位（\(name.isEmpty ? address : name)）"
            guard !name.isEmpty else { throw ConfigurationError("\(place)：缺少姓名 name (a reviewer needs a name)") }
            guard ReviewSettings.isPlausibleAddress(address) else {
                throw ConfigurationError("\(place)：邮箱地址无效 (not a valid address): \(entry.address)")
            }
            guard let unit = units.unit(named: entry.unit) else {
                throw ConfigurationError("\(place)：单位「\(entry.unit)」不在单位名录中，请写名录中的名称或简称 (unit not in the units registry)")
            }
            let reviewer = Reviewer(name: name, address: address, unit: unit.name)
            if reviewers.contains(where: { $0.address == reviewer.address }) {
                throw ConfigurationError("\(place)：邮箱 \(address) 重复 (two reviewers share an address)")
            }
            if reviewers.contains(where: { $0.name == reviewer.name }) {
                throw ConfigurationError("\(place)：姓名 \(name) 重复，请加以区分 (two reviewers share a name)")
            }
            reviewers.append(reviewer)
        }
        let k = raw.reviewersPerDeed ?? ReviewSettings.defaultReviewersPerDeed
        guard k >= 1 else { throw ConfigurationError("[review] reviewers_per_deed 至少为 1 (at least 1): \(k)") }
        guard k <= reviewers.count else {
            throw ConfigurationError("[review] reviewers_per_deed = \(k)，但只配置了 \(reviewers.count) 位评审专家（[[review.reviewer]]）"
                                     + " (k must not exceed the number of reviewers)")
        }
        let spread = raw.disagreementSpread ?? ReviewSettings.defaultDisagreementSpread
        guard spread.isFinite, spread > 0 else {
            throw ConfigurationError("[review] disagreement_spread 必须大于 0 (must be positive): \(spread)")
        }
        let mailMB = raw.maxMailMB ?? Int(ReviewSettings.defaultMaxMailBytes >> 20)
        guard (1...1024).contains(mailMB) else {
            throw ConfigurationError("[review] max_mail_mb 应在 1–1024 之间 (the size a scoring mail may reach, in MB): \(mailMB)")
        }
        var settings = ReviewSettings(criteria: criteria, reviewersPerDeed: k, reviewers: reviewers, disagreementSpread: spread)
        settings.maxMailBytes = Int64(mailMB) << 20
        return settings
    }

    static func examinerSettings(_ raw: RawExaminer?) throws -> ExaminerSettings {
        var settings = ExaminerSettings()
        guard let raw else { return settings }
        if let value = raw.isolate { settings.isolate = value }
        if let value = raw.fileSeconds { settings.limits.fileSeconds = Double(value) }
        if let value = raw.messageSeconds { settings.limits.messageSeconds = Double(value) }
        if let value = raw.memoryMB { settings.limits.memoryMiB = value }
        if let value = raw.outputMB { settings.limits.outputMiB = value }
        let limits = settings.limits
        guard limits.fileSeconds > 0, limits.messageSeconds >= limits.fileSeconds, limits.memoryMiB >= 256, limits.outputMiB >= 16 else {
            throw ConfigurationError("[examiner] 限制无效：file_seconds > 0，message_seconds ≥ file_seconds，memory_mb ≥ 256，output_mb ≥ 16 (invalid limits)")
        }
        return settings
    }

    static func campaignRules(_ raw: RawRules?) throws -> CampaignRules {
        var rules = CampaignRules()
        guard let raw else { return rules }
        if let value = raw.essayMinWords { rules.essayMinWords = value }
        if let value = raw.essayMaxWords { rules.essayMaxWords = value }
        if let value = raw.essayNominal { rules.essayNominal = value }
        if let value = raw.imageMinBytes { rules.imageMinBytes = value }
        if let value = raw.imageRequiredWithEssay { rules.imageRequiredWithEssay = value }
        if let value = raw.videoMinSeconds { rules.videoMinSeconds = Double(value) }
        if let value = raw.videoMaxSeconds { rules.videoMaxSeconds = Double(value) }
        if let value = raw.videoMinLongSide { rules.videoMinLongSide = value }
        if let value = raw.videoMinShortSide { rules.videoMinShortSide = value }
        if let value = raw.leaderTitles { rules.leaderTitles = value }
        if let value = raw.pastedEssayMinWords { rules.pastedEssayMinWords = value }
        if let value = raw.formRequiredFields {
            let unknown = value.filter { NominationForm.Field(rawValue: $0) == nil }
            guard unknown.isEmpty else {
                throw ConfigurationError("[rules] form_required_fields 中有未知栏目 (unknown fields): \(unknown.joined(separator: ", "))")
            }
            rules.formRequiredFields = value
        }
        guard rules.essayMinWords <= rules.essayMaxWords, rules.videoMinSeconds <= rules.videoMaxSeconds else {
            throw ConfigurationError("[rules] 下限不能大于上限 (a minimum above its maximum)")
        }
        return rules
    }

    static func duplicateThresholds(_ raw: RawDuplicates?) throws -> DuplicateThresholds {
        let defaults = DuplicateThresholds.default
        let thresholds = DuplicateThresholds(essaySimilarity: raw?.essaySimilarity ?? defaults.essaySimilarity,
                                             essayContainment: raw?.essayContainment ?? defaults.essayContainment,
                                             titleSimilarity: raw?.titleSimilarity ?? defaults.titleSimilarity)
        for value in [thresholds.essaySimilarity, thresholds.essayContainment, thresholds.titleSimilarity] where !(0.0...1.0).contains(value) {
            throw ConfigurationError("[duplicates] 相似度阈值应在 0 到 1 之间 (thresholds are between 0 and 1): \(value)")
        }
        return thresholds
    }

    static func replyThrottle(_ raw: RawReplies?) throws -> ReplyThrottle {
        let defaults = ReplyThrottle()
        let throttle = ReplyThrottle(maxPerSender: raw?.maxPerSender ?? defaults.maxPerSender,
                                     window: TimeInterval((raw?.perMinutes ?? Int(defaults.window / 60)) * 60),
                                     identicalWindow: TimeInterval((raw?.identicalWithinHours ?? Int(defaults.identicalWindow / 3600)) * 3600))
        guard throttle.maxPerSender >= 1, throttle.window > 0, throttle.identicalWindow >= 0 else {
            throw ConfigurationError("[replies] max_per_sender 至少为 1，per_minutes 必须大于 0 (invalid reply limits)")
        }
        return throttle
    }

    static func smtpSettings(_ raw: RawSMTP, ownAddress: String, resolve: (String) -> URL) throws -> SMTPSettings {
        let security = try validatedSecurity(raw.security, insecure: raw.insecure, section: "smtp")
        return SMTPSettings(host: raw.host, port: raw.port, security: security, username: raw.username ?? "",
                            passwordFile: raw.passwordFile.map { resolve($0).path }, caFile: raw.caFile.map { resolve($0).path },
                            ehloName: raw.ehloName ?? "tuibao.localdomain", fromAddress: raw.fromAddress ?? ownAddress,
                            maxAttempts: raw.maxAttempts ?? 8, retryBaseSeconds: raw.retryBaseSeconds ?? 60,
                            sendIntervalSeconds: try positive(raw.sendInterval, default: 15, key: "[smtp] send_interval"))
    }

    static func positive(_ value: Int?, default fallback: Int, key: String) throws -> Int {
        let value = value ?? fallback
        guard value > 0 else { throw ConfigurationError("\(key) 必须大于 0 (must be positive): \(value)") }
        return value
    }

    /// tls (default), starttls, or none — and none only with an explicit `insecure = true`.
    static func validatedSecurity(_ text: String?, insecure: Bool?, section: String) throws -> ServerSettings.Security {
        guard let security = ServerSettings.Security(rawValue: text ?? "tls") else {
            throw ConfigurationError("[\(section)] security 只能是 tls、starttls 或 none (got \(text ?? ""))")
        }
        if security == .none && insecure != true {
            throw ConfigurationError("[\(section)] security = \"none\" 需要同时设置 insecure = true（仅用于本机测试）(plain \(section.uppercased()) needs insecure = true)")
        }
        return security
    }

    static func imapSettings(_ raw: RawIMAP, resolve: (String) -> URL) throws -> IMAPSettings {
        let security = try validatedSecurity(raw.security, insecure: raw.insecure, section: "imap")
        guard let after = AfterFiling(rawValue: raw.afterFiling ?? "move") else {
            throw ConfigurationError("[imap] after_filing 只能是 move 或 flag")
        }
        let renew = try positive(raw.idleRenewSeconds, default: 1500, key: "[imap] idle_renew_seconds")
        // RFC 2177: servers may log out a client idle for 30 minutes; renew well before.
        guard renew <= 1740 else {
            throw ConfigurationError("[imap] idle_renew_seconds 不能超过 1740（服务器 30 分钟断开空闲连接）(at most 1740: servers drop idle clients at 30 minutes): \(renew)")
        }
        return IMAPSettings(host: raw.host, port: raw.port, security: security, username: raw.username,
                            passwordFile: raw.passwordFile.map { resolve($0).path }, caFile: raw.caFile.map { resolve($0).path },
                            mailbox: raw.mailbox ?? "INBOX", processedMailbox: raw.processedMailbox ?? "Processed",
                            failedMailbox: raw.failedMailbox ?? "Failed", afterFiling: after,
                            maxAttempts: raw.maxAttempts ?? 3,
                            pollIntervalSeconds: try positive(raw.pollInterval, default: 60, key: "[imap] poll_interval"),
                            idle: raw.idle ?? true, idleRenewSeconds: renew,
                            idleAnswerSeconds: try positive(raw.idleAnswerSeconds, default: 30, key: "[imap] idle_answer_seconds"))
    }

    static func loadUnits(_ file: URL) throws -> UnitRegistry {
        struct RawUnits: Decodable {
            var unit: [RawUnit]
        }
        struct RawUnit: Decodable {
            var name: String
            var aliases: [String]?
            var domains: [String]?
            var addresses: [String]?
        }
        do {
            let raw = try TOMLDecoder().decode(RawUnits.self, from: String(contentsOf: file, encoding: .utf8))
            return UnitRegistry(units: raw.unit.map {
                RegisteredUnit(name: $0.name, aliases: $0.aliases ?? [], domains: $0.domains ?? [], addresses: $0.addresses ?? [])
            })
        } catch {
            throw ConfigurationError("单位名录有误 (invalid units registry) \(file.path): \(error)")
        }
    }

    struct RawConfiguration: Decodable {
        var dataDir: String
        var ownAddresses: [String]
        var replyDomain: String?
        var officeName: String
        var officeContact: String?
        var templatesDir: String?
        var unitsFile: String?
        var campaign: RawCampaign
        var imap: RawIMAP?
        var smtp: RawSMTP?
        var replies: RawReplies?
        var rules: RawRules?
        var duplicates: RawDuplicates?
        var examiner: RawExaminer?
        var timezone: String?
        var review: RawReview?

        enum CodingKeys: String, CodingKey {
            case dataDir = "data_dir", ownAddresses = "own_addresses", replyDomain = "reply_domain"
            case officeName = "office_name", officeContact = "office_contact", templatesDir = "templates_dir"
            case unitsFile = "units_file", campaign, imap, smtp, replies, rules, duplicates, examiner, timezone, review
        }
    }

    struct RawReview: Decodable {
        struct Criterion: Decodable {
            var name: String
            var weight: Double

            enum CodingKeys: String, CodingKey { case name, weight }

            // `weight = 2` is a TOML integer, `weight = 0.4` a float: both are weights.
            init(from decoder: any Decoder) throws {
                let container = try decoder.container(keyedBy: CodingKeys.self)
                name = try container.decode(String.self, forKey: .name)
                if let integer = try? container.decode(Int.self, forKey: .weight) {
                    weight = Double(integer)
                } else {
                    weight = try container.decode(Double.self, forKey: .weight)
                }
            }
        }
        struct Member: Decodable {
            var name: String
            var address: String
            var unit: String
        }
        var criteria: [Criterion]?
        var reviewersPerDeed: Int?
        var disagreementSpread: Double?
        var reviewer: [Member]?
        var maxMailMB: Int?

        enum CodingKeys: String, CodingKey {
            case criteria, reviewer, reviewersPerDeed = "reviewers_per_deed", disagreementSpread = "disagreement_spread"
            case maxMailMB = "max_mail_mb"
        }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            criteria = try container.decodeIfPresent([Criterion].self, forKey: .criteria)
            reviewer = try container.decodeIfPresent([Member].self, forKey: .reviewer)
            reviewersPerDeed = try container.decodeIfPresent(Int.self, forKey: .reviewersPerDeed)
            maxMailMB = try container.decodeIfPresent(Int.self, forKey: .maxMailMB)
            if let integer = try? container.decodeIfPresent(Int.self, forKey: .disagreementSpread) {
                disagreementSpread = Double(integer)
            } else {
                disagreementSpread = try container.decodeIfPresent(Double.self, forKey: .disagreementSpread)
            }
        }
    }

    struct RawExaminer: Decodable {
        var isolate: Bool?
        var fileSeconds: Int?
        var messageSeconds: Int?
        var memoryMB: Int?
        var outputMB: Int?

        enum CodingKeys: String, CodingKey {
            case isolate, fileSeconds = "file_seconds", messageSeconds = "message_seconds", memoryMB = "memory_mb", outputMB = "output_mb"
        }
    }

    struct RawDuplicates: Decodable {
        var essaySimilarity: Double?
        var essayContainment: Double?
        var titleSimilarity: Double?

        enum CodingKeys: String, CodingKey {
            case essaySimilarity = "essay_similarity", essayContainment = "essay_containment", titleSimilarity = "title_similarity"
        }
    }

    struct RawRules: Decodable {
        var essayMinWords: Int?
        var essayMaxWords: Int?
        var essayNominal: String?
        var imageMinBytes: Int?
        var imageRequiredWithEssay: Bool?
        var videoMinSeconds: Int?
        var videoMaxSeconds: Int?
        var videoMinLongSide: Int?
        var videoMinShortSide: Int?
        var formRequiredFields: [String]?
        var leaderTitles: [String]?
        var pastedEssayMinWords: Int?

        enum CodingKeys: String, CodingKey {
            case essayMinWords = "essay_min_words", essayMaxWords = "essay_max_words", essayNominal = "essay_nominal"
            case imageMinBytes = "image_min_bytes", imageRequiredWithEssay = "image_required_with_essay"
            case videoMinSeconds = "video_min_seconds", videoMaxSeconds = "video_max_seconds"
            case videoMinLongSide = "video_min_long_side", videoMinShortSide = "video_min_short_side"
            case formRequiredFields = "form_required_fields", leaderTitles = "leader_titles"
            case pastedEssayMinWords = "pasted_essay_min_words"
        }
    }

    struct RawReplies: Decodable {
        var maxPerSender: Int?
        var perMinutes: Int?
        var identicalWithinHours: Int?

        enum CodingKeys: String, CodingKey {
            case maxPerSender = "max_per_sender", perMinutes = "per_minutes", identicalWithinHours = "identical_within_hours"
        }
    }

    struct RawSMTP: Decodable {
        var host: String
        var port: Int?
        var security: String?
        var insecure: Bool?
        var username: String?
        var passwordFile: String?
        var caFile: String?
        var ehloName: String?
        var fromAddress: String?
        var maxAttempts: Int?
        var retryBaseSeconds: Int?
        var sendInterval: Int?

        enum CodingKeys: String, CodingKey {
            case host, port, security, insecure, username
            case passwordFile = "password_file", caFile = "ca_file", ehloName = "ehlo_name", fromAddress = "from_address"
            case maxAttempts = "max_attempts", retryBaseSeconds = "retry_base_seconds", sendInterval = "send_interval"
        }
    }

    struct RawIMAP: Decodable {
        var host: String
        var port: Int?
        var security: String?
        var insecure: Bool?
        var username: String
        var passwordFile: String?
        var caFile: String?
        var mailbox: String?
        var processedMailbox: String?
        var failedMailbox: String?
        var afterFiling: String?
        var maxAttempts: Int?
        var pollInterval: Int?
        var idle: Bool?
        var idleRenewSeconds: Int?
        var idleAnswerSeconds: Int?

        enum CodingKeys: String, CodingKey {
            case host, port, security, insecure, username, mailbox
            case passwordFile = "password_file", caFile = "ca_file", processedMailbox = "processed_mailbox"
            case failedMailbox = "failed_mailbox", afterFiling = "after_filing", maxAttempts = "max_attempts"
            case pollInterval = "poll_interval", idle, idleRenewSeconds = "idle_renew_seconds", idleAnswerSeconds = "idle_answer_seconds"
        }
    }

    struct RawCampaign: Decodable {
        var id: String
        var name: String
        var trackingPrefix: String
        var opensOn: String?
        var closesOn: String?

        enum CodingKeys: String, CodingKey {
            case id, name, trackingPrefix = "tracking_prefix", opensOn = "opens_on", closesOn = "closes_on"
        }
    }
}

public struct ConfigurationError: Error, CustomStringConvertible, Sendable {
    public var description: String
    public init(_ description: String) { self.description = description }
}
