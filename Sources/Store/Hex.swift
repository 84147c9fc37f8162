import Crypto
import Foundation

/// SHA-256 in lowercase hex, the one way every layer above MIME names content (the spool, the
/// file store, facts, reply keys). MIME, which imports nothing of ours, has its own copy.
public enum Hex {
    public static func string(_ bytes: some Sequence<UInt8>) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var output: [UInt8] = []
        for byte in bytes {
            output.append(digits[Int(byte >> 4)])
            output.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: output, as: UTF8.self)
    }

    public static func sha256(_ data: Data) -> String {
        string(SHA256.hash(data: data))
    }

    /// The SHA-256 of a file, read in 1 MiB chunks.
    public static func sha256(fileAt url: URL) throws -> String {
        let handle = try FileHandle(forReadingFrom: url)
        defer { try? handle.close() }
        var hasher = SHA256()
        while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty { hasher.update(data: chunk) }
        return string(hasher.finalize())
    }
}
