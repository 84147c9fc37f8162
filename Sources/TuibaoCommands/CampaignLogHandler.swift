import Foundation
import Logging

/// The service log on standard error (journald keeps it): one line per event, stamped
/// ISO 8601 with milliseconds and the campaign's offset, like every time tuibao shows —
/// `2026-12-07T10:51:02.123+08:00 info tuibao: 已受理 … key=value`.
struct CampaignLogHandler: LogHandler {
    let label: String
    var logLevel: Logger.Level = .info
    var metadata: Logger.Metadata = [:]
    var metadataProvider: Logger.MetadataProvider?

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(level: Logger.Level, message: Logger.Message, metadata explicit: Logger.Metadata?, source: String,
             file: String, function: String, line: UInt) {
        let merged = self.metadata.merging(metadataProvider?.get() ?? [:]) { $1 }.merging(explicit ?? [:]) { $1 }
        let fields = merged.sorted { $0.key < $1.key }.map { " \($0.key)=\($0.value)" }.joined()
        let text = "\(Self.timestamp(Date())) \(level) \(label): \(message)\(fields)\n"
        FileHandle.standardError.write(Data(text.utf8))
    }

    /// Seconds from the campaign's clock, then the milliseconds put in before the offset.
    static func timestamp(_ date: Date) -> String {
        let stamp = StaffFormatting.clock.iso8601(date)
        let milliseconds = Int((date.timeIntervalSince1970 * 1000).rounded(.down)) % 1000
        let padded = milliseconds < 10 ? "00\(milliseconds)" : milliseconds < 100 ? "0\(milliseconds)" : "\(milliseconds)"
        return "\(stamp.dropLast(6)).\(padded)\(stamp.suffix(6))"
    }
}
