import Crypto
import Foundation
import Store

/// What a scoring sheet carries to say whose it is: the round and the reviewer, signed with
/// HMAC-SHA256 under the review key, so a sheet cannot be made for a round or a reviewer that
/// it was not sent to. `tuibao-review/1/<round id>/<reviewer address>/<MAC, 32 hex digits>`.
struct ReviewToken: Hashable {
    var roundId: Int64
    var reviewer: String

    static let prefix = "tuibao-review/1/"

    func text(key: SymmetricKey) -> String {
        let payload = "\(Self.prefix)\(roundId)/\(reviewer)"
        return "\(payload)/\(Self.mac(payload, key: key))"
    }

    enum Reading: Hashable {
        case valid(ReviewToken)
        /// Looks like ours but the MAC, round or address does not hold.
        case forged
    }

    /// nil: not a token of ours at all.
    static func read(_ text: String, key: SymmetricKey) -> Reading? {
        let text = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard text.hasPrefix(prefix) else { return nil }
        let fields = text.dropFirst(prefix.count).split(separator: "/", omittingEmptySubsequences: false)
        guard fields.count == 3, let roundId = Int64(fields[0]), roundId > 0, fields[1].contains("@") else { return .forged }
        let payload = "\(prefix)\(roundId)/\(fields[1])"
        // Compared in constant time: the MAC is the secret part.
        let expected = Array(mac(payload, key: key).utf8), given = Array(fields[2].utf8)
        guard expected.count == given.count, zip(expected, given).reduce(0, { $0 | ($1.0 ^ $1.1) }) == 0 else { return .forged }
        return .valid(ReviewToken(roundId: roundId, reviewer: String(fields[1])))
    }

    private static func mac(_ payload: String, key: SymmetricKey) -> String {
        Hex.string(HMAC<SHA256>.authenticationCode(for: Data(payload.utf8), using: key).prefix(16))
    }
}

/// The key review tokens are signed with: the systemd credential `review-key`, else
/// `TUIBAO_REVIEW_KEY`, else `review.key` in the data directory, made (32 random bytes, mode
/// 0600) the first time a sheet is sent. It never leaves the machine; a new key makes every
/// sheet sent before it unreadable, so it is kept with the data.
enum ReviewKey {
    static let fileName = "review.key"

    /// - Parameter create: make the key file when there is none (only `review send` does; intake
    ///   without a key has sent no sheet, so any token it sees is forged).
    static func load(dataDirectory: URL, create: Bool,
                     environment: [String: String] = ProcessInfo.processInfo.environment) throws -> SymmetricKey? {
        if let secret = try? Credentials.password(credentialName: "review-key", environmentVariable: "TUIBAO_REVIEW_KEY", file: nil,
                                                  environment: environment), !secret.isEmpty {
            return SymmetricKey(data: SHA256.hash(data: Data(secret.utf8)))
        }
        let file = dataDirectory.appendingPathComponent(fileName)
        if let text = try? String(contentsOf: file, encoding: .utf8), let bytes = Hex.bytes(text.trimmingCharacters(in: .whitespacesAndNewlines)),
           bytes.count == 32 {
            return SymmetricKey(data: bytes)
        }
        guard !FileManager.default.fileExists(atPath: file.path) else {
            throw ConfigurationError("评审密钥文件 \(file.path) 已损坏（应为 64 位十六进制数） (the review key file is damaged)")
        }
        guard create else { return nil }
        let key = SymmetricKey(size: .bits256)
        let hex = key.withUnsafeBytes { Hex.string($0) }
        guard FileManager.default.createFile(atPath: file.path, contents: Data((hex + "\n").utf8), attributes: [.posixPermissions: 0o600]) else {
            throw ConfigurationError("无法创建评审密钥文件 \(file.path) (cannot create the review key)")
        }
        return key
    }
}
