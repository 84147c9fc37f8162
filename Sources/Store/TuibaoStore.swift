import Foundation
import GRDB

/// The structured store: one SQLite file in WAL mode shared by the service and the CLI.
/// Commits are durable (`synchronous=FULL`): intake acknowledges mail only after them.
public final class TuibaoStore: Sendable {
    public let dataDirectory: URL
    public let database: DatabasePool
    public let spool: Spool
    public let files: FileStore

    public init(dataDirectory: URL) throws {
        self.dataDirectory = dataDirectory
        try FileManager.default.createDirectory(at: dataDirectory, withIntermediateDirectories: true)
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)  // the CLI and the service share the file
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = FULL")
        }
        database = try DatabasePool(path: dataDirectory.appendingPathComponent("tuibao.sqlite").path,
                                    configuration: configuration)
        try Migrations.migrator.migrate(database)
        spool = Spool(directory: dataDirectory.appendingPathComponent("spool"))
        files = FileStore(directory: dataDirectory.appendingPathComponent("files"))
    }

    /// The names of the migrations applied, in order (for `tuibao doctor` and tests).
    public func appliedMigrations() throws -> [String] {
        try database.read { db in try Migrations.migrator.appliedMigrations(db) }
    }
}
