import Foundation

/// How every command prints JSON — the contract written down in the README ("JSON output"):
/// camelCase keys, sorted; `null` for absent values (`@Nullable`); arrays for lists; every
/// timestamp ISO 8601 with the campaign's offset ("2026-12-07T10:51:02+08:00").
enum JSONOutput {
    /// One compact JSON object on one line (for streams of results, one per message).
    static func line(_ value: some Encodable) throws -> String {
        String(decoding: try encoder([.sortedKeys, .withoutEscapingSlashes]).encode(value), as: UTF8.self)
    }

    static func string(_ value: some Encodable) throws -> String {
        String(decoding: try encoder([.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]).encode(value), as: UTF8.self)
    }

    private static func encoder(_ formatting: JSONEncoder.OutputFormatting) -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = formatting
        let clock = StaffFormatting.clock
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(clock.iso8601(date))
        }
        return encoder
    }
}

/// An optional that encodes as `null` when absent instead of leaving its key out, so every
/// key of a JSON object is always there.
@propertyWrapper
struct Nullable<Value: Encodable>: Encodable {
    var wrappedValue: Value?

    init(wrappedValue: Value?) { self.wrappedValue = wrappedValue }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        if let value = wrappedValue { try container.encode(value) } else { try container.encodeNil() }
    }
}
