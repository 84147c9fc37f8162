import Foundation
import MaterialChecks

/// Facts are cached as JSON in the store (per content and name), so a file carried into a later
/// version, or resent, is not read again.
extension MaterialFacts {
    public init?(json: String) {
        guard let facts = try? JSONDecoder().decode(MaterialFacts.self, from: Data(json.utf8)) else { return nil }
        self = facts
    }

    public var json: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return (try? String(decoding: encoder.encode(self), as: UTF8.self)) ?? "{}"
    }
}
