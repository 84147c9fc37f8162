import Foundation
import Intake
import MaterialChecks
import Materials
import Store

extension FileRole {
    /// The role a file plays, from what the examiner found in it.
    init(_ facts: MaterialFacts) {
        switch facts.kind {
        case .form: self = .form
        case .essay: self = .essay
        case .video: self = .video
        case .image: self = .picture
        case .container: self = .container
        case .unsafe: self = .unsafe
        case .other, .unchecked: self = .other
        }
    }
}

extension MaterialFacts {
    /// The roles this file provides: its own, or for an archive those of the files inside.
    var providedRoles: [FileRole] {
        flattened.map(FileRole.init)
    }
}

extension PlannedFile {
    /// A file already filed, as a file of a new version.
    init(_ record: FileRecord) {
        self.init(sha256: record.sha256, size: record.size, filename: record.filename, contentType: record.contentType,
                  carriedFromVersionId: record.carriedFromVersionId, role: record.role ?? .other, replacesFileId: nil)
    }
}

extension PendingLink {
    /// The links a version keeps (JSON in the store).
    static func list(json: String) -> [PendingLink]? {
        try? JSONDecoder().decode([PendingLink].self, from: Data(json.utf8))
    }

    static func json(_ links: [PendingLink]) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? String(decoding: encoder.encode(links), as: UTF8.self)) ?? "[]"
    }
}
