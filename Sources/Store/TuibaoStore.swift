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
        // Mail and attachments are personal data: a new data directory is for the service account (and its group) only.
        try FileManager.default.createDirectory(at: dataDirectory, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o750])
        // Two processes opening a new data directory at once (the service and a clerk's CLI)
        // must not both switch the new file to WAL (the loser's `PRAGMA journal_mode` fails
        // with "database is locked" at once, whatever the busy timeout) nor both run the
        // migrations (GRDB checks what is applied outside SQLite's lock): opening is one at a time.
        let lock = open(dataDirectory.appendingPathComponent(".migrate.lock").path, O_RDWR | O_CREAT | O_CLOEXEC, 0o640)
        guard lock >= 0 else { throw StoreError("cannot create the migration lock in \(dataDirectory.path)") }
        defer { close(lock) }
        flock(lock, LOCK_EX)
        defer { flock(lock, LOCK_UN) }
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
