import ArgumentParser
import Foundation
import Gateway

/// `tuibao doctor`: is this installation ready for real mail? Checks configuration, data
/// directory, templates, units, certificates, and logs in to IMAP (ID, SELECT) and SMTP
/// (EHLO, AUTH) without fetching or sending anything.
struct DoctorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "doctor",
        abstract: "检查安装：配置、数据目录、模板、IMAP/SMTP 登录。 Check the installation end to end.",
        discussion: "只登录，不收取、不移动、不发送任何邮件。 Logs in only: nothing is fetched, moved or sent.")

    @OptionGroup var gateway: GatewayOptions

    @Flag(help: "不连接邮件服务器。 Skip the IMAP and SMTP checks.")
    var offline = false

    @Flag(help: "输出 JSON。")
    var json = false

    func run() throws {
        let configuration = try gateway.configuration()
        let options = gateway
        // Asked only when the section exists (Doctor checks first).
        let doctor = Doctor(
            configuration: configuration,
            imapPassword: { try configuration.imap.map(options.imapPassword) ?? "" },
            smtpPassword: { try configuration.smtp.map(options.smtpPassword) ?? "" })
        let findings = doctor.run(network: !offline)
        if json {
            print(try JSONOutput.string(findings))
        } else {
            var table = TextTable(["检查", "结果", "说明"])
            for finding in findings { table.add([finding.check, finding.status.label, finding.message]) }
            print(table.render(), terminator: "")
            let failed = findings.filter { $0.status == .failed }.count
            let warnings = findings.filter { $0.status == .warning }.count
            print(failed == 0 ? "检查通过（\(warnings) 项注意）。" : "\(failed) 项检查失败，请按说明修正后再运行 tuibao doctor。")
        }
        if findings.contains(where: { $0.status == .failed }) { throw ExitCode(1) }
    }
}
