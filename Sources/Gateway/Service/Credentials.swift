import Foundation

/// Where a password comes from, never the configuration file: systemd credentials
/// (`$CREDENTIALS_DIRECTORY/<name>`, from `LoadCredential=`), then an environment variable, then
/// a password file named in the configuration. Trailing newlines are dropped.
public enum Credentials {
    public static func password(credentialName: String, environmentVariable: String, file: String?,
                                environment: [String: String] = ProcessInfo.processInfo.environment) throws -> String {
        if let directory = environment["CREDENTIALS_DIRECTORY"],
           let text = try? String(contentsOfFile: "\(directory)/\(credentialName)", encoding: .utf8) {
            return trimmed(text)
        }
        if let value = environment[environmentVariable], !value.isEmpty { return value }
        if let file {
            do {
                return trimmed(try String(contentsOfFile: file, encoding: .utf8))
            } catch {
                throw ConfigurationError("无法读取密码文件 (cannot read password file) \(file)")
            }
        }
        throw ConfigurationError("没有找到密码：请设置 systemd 凭据 \(credentialName)、环境变量 \(environmentVariable) 或 password_file (no password configured)")
    }

    static func trimmed(_ text: String) -> String {
        var value = Substring(text)
        while let last = value.last, last == "\n" || last == "\r" || last == "\r\n" { value.removeLast() }
        return String(value)
    }
}
