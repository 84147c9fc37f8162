import Foundation

/// File sizes the way units see them in their mail client: "600 KB", "1 MB", "1.5 MB". One
/// formatter for everything a reply says, so a problem and the list of files never disagree.
public enum SizeText {
    public static func of(_ bytes: Int64) -> String {
        if bytes >= 1_048_576 {
            let megabytes = Double(bytes) / 1_048_576
            return megabytes == megabytes.rounded() ? "\(Int(megabytes)) MB" : String(format: "%.1f MB", megabytes)
        }
        if bytes >= 1024 { return "\(Int((Double(bytes) / 1024).rounded())) KB" }
        return "\(bytes) 字节"
    }
}
