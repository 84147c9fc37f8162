import Foundation

/// A private Dovecot for one test, on a free loopback port, with its own state, logs and a
/// maildir, started with `dovecot -c` and stopped in `stop()`. Optionally with TLS on a
/// self-signed certificate made at test time (`caFile` verifies it).
public final class DovecotServer: @unchecked Sendable {
    // @unchecked Sendable: a test owns its server; nothing here is shared between tasks.
    public let directory: URL
    public let port: Int
    public let username = "xcb"
    public let password: String
    /// plain IMAP, imaps (TLS from the first byte), or IMAP with STARTTLS required before login.
    public enum Mode: Sendable { case plain, tls, starttls }
    public let mode: Mode
    /// False: the server lists no IDLE among its capabilities (`imap_capability` without it).
    public let offersIdle: Bool
    /// True when the server has a certificate (tls or starttls).
    public var tls: Bool { mode != .plain }
    public var caFile: String { directory.appendingPathComponent("ca.pem").path }
    public var logFile: URL { directory.appendingPathComponent("dovecot.log") }
    public var maildir: URL { directory.appendingPathComponent("home/\(username)/Maildir") }
    private var pid: pid_t?

    public convenience init(tls: Bool = false, password: String = "s3cret-密码") throws {
        try self.init(mode: tls ? .tls : .plain, password: password)
    }

    public init(mode: Mode, password: String = "s3cret-密码", offersIdle: Bool = true) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("tuibao-dovecot-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        self.mode = mode
        self.offersIdle = offersIdle
        self.password = password
        port = try Self.freePort()
        if tls { try makeCertificate() }
        try writeConfiguration()
        try FileManager.default.createDirectory(at: maildir.appendingPathComponent("new"), withIntermediateDirectories: true)
        for sub in ["cur", "tmp"] {
            try FileManager.default.createDirectory(at: maildir.appendingPathComponent(sub), withIntermediateDirectories: true)
        }
        for path in [maildir, maildir.appendingPathComponent("new"), maildir.appendingPathComponent("cur"), maildir.appendingPathComponent("tmp")] {
            chownToNobody(path)
        }
        try start()
    }

    deinit { stop() }

    /// Runs dovecot in the foreground (-F) as our child via posix_spawn, stopped with SIGTERM
    /// and waitpid. (Foundation's Process never saw a daemonizing dovecot, or its children, end.)
    public func start() throws {
        pid = try ChildProcess.spawn("/usr/sbin/dovecot", ["-F", "-c", directory.appendingPathComponent("dovecot.conf").path])
        try waitForPort()
    }

    public func stop() {
        guard let pid else { return }
        self.pid = nil
        ChildProcess.terminate(pid)
        for _ in 0..<100 where Self.canConnect(port) { usleep(20_000) }
        // The master is gone; make sure its session processes are too (they hold connections).
        let instance = "dovecot-tuibao-test-\(port)/"
        if let pids = try? FileManager.default.contentsOfDirectory(atPath: "/proc") {
            for candidate in pids.compactMap(Int32.init) {
                if let command = try? String(contentsOfFile: "/proc/\(candidate)/cmdline", encoding: .utf8),
                   command.hasPrefix(instance) || command.contains("tuibao-test-\(port)") {
                    kill(candidate, SIGKILL)
                }
            }
        }
    }

    public func remove() {
        stop()
        try? FileManager.default.removeItem(at: directory)
    }

    /// Puts a message in the inbox as unseen (tmp/ then rename into new/, as a delivery agent does).
    public func deliver(_ data: Data, name: String) throws {
        let temporary = maildir.appendingPathComponent("tmp/\(name)")
        try data.write(to: temporary)
        try FileManager.default.moveItem(at: temporary, to: maildir.appendingPathComponent("new/\(name)"))
        chownToNobody(maildir.appendingPathComponent("new/\(name)"))
    }

    /// Messages in a mailbox ("INBOX", "Processed", "Failed"), counted on disk.
    public func count(in mailbox: String) -> Int {
        let base = mailbox == "INBOX" ? maildir : maildir.appendingPathComponent(".\(mailbox)")
        return ["new", "cur"].reduce(0) { total, sub in
            total + ((try? FileManager.default.contentsOfDirectory(atPath: base.appendingPathComponent(sub).path))?.count ?? 0)
        }
    }

    /// Recreates the inbox (new UIDVALIDITY) with the messages it holds now.
    public func resetUIDValidity() throws {
        stop()
        for file in ["dovecot-uidlist", "dovecot-uidvalidity", "dovecot.index", "dovecot.index.cache", "dovecot.index.log"] {
            try? FileManager.default.removeItem(at: maildir.appendingPathComponent(file))
        }
        if let names = try? FileManager.default.contentsOfDirectory(atPath: maildir.path) {
            for name in names where name.hasPrefix("dovecot-uidvalidity") {
                try? FileManager.default.removeItem(at: maildir.appendingPathComponent(name))
            }
        }
        try start()
    }

    /// Session processes of this server (pid, process title): with `verbose_proctitle` an imap
    /// process's title names the command it is in, e.g. `[xcb 127.0.0.1 IDLE]`.
    public func imapProcesses() -> [(pid: pid_t, title: String)] {
        let instance = "tuibao-test-\(port)"
        let pids = (try? FileManager.default.contentsOfDirectory(atPath: "/proc"))?.compactMap(Int32.init) ?? []
        return pids.compactMap { candidate in
            guard let data = FileManager.default.contents(atPath: "/proc/\(candidate)/cmdline") else { return nil }
            let title = String(decoding: data, as: UTF8.self).replacingOccurrences(of: "\0", with: " ").trimmingCharacters(in: .whitespaces)
            return title.contains(instance) && title.contains("/imap ") ? (candidate, title) : nil
        }
    }

    /// The imap processes idling now (IDLE in their title).
    public func idlingProcesses() -> [pid_t] {
        imapProcesses().filter { $0.title.contains(" IDLE]") }.map(\.pid)
    }

    /// Runs `doveadm` against this instance (e.g. `kick xcb`).
    public func doveadm(_ arguments: [String]) throws {
        try Self.run("/usr/bin/doveadm", ["-c", directory.appendingPathComponent("dovecot.conf").path] + arguments)
    }

    public func log() -> String { (try? String(contentsOf: logFile, encoding: .utf8)) ?? "" }

    private func writeConfiguration() throws {
        let run = directory.appendingPathComponent("run")
        try FileManager.default.createDirectory(at: run, withIntermediateDirectories: true)
        let home = directory.appendingPathComponent("home")
        try FileManager.default.createDirectory(at: home.appendingPathComponent(username), withIntermediateDirectories: true)
        chownToNobody(home.appendingPathComponent(username))
        try "\(username):{PLAIN}\(password)::::::\n".write(to: directory.appendingPathComponent("passwd"), atomically: true, encoding: .utf8)
        let ssl = tls ? """
        ssl = required
        ssl_cert = <\(directory.appendingPathComponent("cert.pem").path)
        ssl_key = <\(directory.appendingPathComponent("key.pem").path)
        """ : "ssl = no"
        // ssl = required refuses LOGIN before STARTTLS on the plain listener.
        let listener = mode == .tls
            ? "inet_listener imap {\n    port = 0\n  }\n  inet_listener imaps {\n    port = \(port)\n    ssl = yes\n  }"
            : "inet_listener imap {\n    port = \(port)\n  }\n  inet_listener imaps {\n    port = 0\n  }"
        let config = """
        protocols = imap
        listen = 127.0.0.1
        base_dir = \(run.path)
        state_dir = \(directory.appendingPathComponent("state").path)
        instance_name = tuibao-test-\(port)
        log_path = \(logFile.path)
        info_log_path = \(logFile.path)
        \(ssl)
        disable_plaintext_auth = no
        auth_mechanisms = plain login
        imap_id_log = *
        verbose_proctitle = yes
        \(offersIdle ? "" : "imap_capability = IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE SORT THREAD=REFERENCES MULTIAPPEND UNSELECT CHILDREN NAMESPACE UIDPLUS LIST-EXTENDED I18NLEVEL=1 CONDSTORE QRESYNC ESEARCH ESORT SEARCHRES WITHIN CONTEXT=SEARCH LIST-STATUS BINARY MOVE LITERAL+")
        login_log_format_elements = user=<%u> method=%m rip=%r lip=%l mpid=%e %c session=<%{session}>
        passdb {
          driver = passwd-file
          args = scheme=PLAIN \(directory.appendingPathComponent("passwd").path)
        }
        userdb {
          driver = static
          args = uid=nobody gid=nogroup home=\(home.path)/%u
        }
        mail_location = maildir:~/Maildir
        namespace inbox {
          inbox = yes
          separator = .
          mailbox Processed {
            auto = create
          }
          mailbox Failed {
            auto = create
          }
        }
        service imap-login {
          \(listener)
          chroot =
        }
        service anvil {
          chroot =
        }
        default_login_user = nobody
        default_internal_user = nobody
        """
        try config.write(to: directory.appendingPathComponent("dovecot.conf"), atomically: true, encoding: .utf8)
    }

    private func makeCertificate() throws {
        try Self.run("/usr/bin/openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                                          "-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
                                          "-keyout", directory.appendingPathComponent("key.pem").path,
                                          "-out", directory.appendingPathComponent("cert.pem").path])
        try FileManager.default.copyItem(at: directory.appendingPathComponent("cert.pem"), to: URL(fileURLWithPath: caFile))
    }

    private func chownToNobody(_ url: URL) {
        // The mail processes run as nobody; the test writes as root.
        _ = chown(url.path, 65534, 65534)
    }

    private func waitForPort() throws {
        for _ in 0..<200 {
            if Self.canConnect(port) { return }
            usleep(25_000)
        }
        throw NSError(domain: "DovecotServer", code: 1, userInfo: [NSLocalizedDescriptionKey: "dovecot did not start: \(log())"])
    }

    public static func run(_ tool: String, _ arguments: [String]) throws {
        let pid = try ChildProcess.spawn(tool, arguments)
        let status = ChildProcess.wait(pid)
        guard status == 0 else {
            throw NSError(domain: "DovecotServer", code: Int(status), userInfo: [NSLocalizedDescriptionKey: "\(tool) failed (\(status))"])
        }
    }

    static func runWithFoundation(_ tool: String, _ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        // A file, not a pipe: dovecot's daemon keeps stderr open, so a pipe would never reach EOF.
        let errorFile = FileManager.default.temporaryDirectory.appendingPathComponent("run-\(UUID().uuidString).err")
        _ = FileManager.default.createFile(atPath: errorFile.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: errorFile) }
        let errors = try FileHandle(forWritingTo: errorFile)
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        try? errors.close()
        let message = (try? Data(contentsOf: errorFile)) ?? Data()
        guard process.terminationStatus == 0 else {
            throw NSError(domain: "DovecotServer", code: Int(process.terminationStatus),
                          userInfo: [NSLocalizedDescriptionKey: "\(tool) failed: \(String(decoding: message, as: UTF8.self))"])
        }
    }

    public static func freePort() throws -> Int {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, length) } }
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) } }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    public static func canConnect(_ port: Int) -> Bool {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        } == 0
    }
}

/// posix_spawn and waitpid, for servers that tests start and stop.
public enum ChildProcess {
    public static func spawn(_ path: String, _ arguments: [String]) throws -> pid_t {
        var pid: pid_t = 0
        let argv = ([path] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        // The child starts with no signal blocked and default handlers: a test runner's thread
        // may block SIGTERM, and the mask would be inherited (dovecot then ignores terminate()).
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var empty = sigset_t()
        sigemptyset(&empty)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGTERM, SIGINT, SIGHUP, SIGCHLD, SIGPIPE] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigmask(&attributes, &empty)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        let result = posix_spawn(&pid, path, &actions, &attributes, argv, environ)
        guard result == 0 else {
            throw NSError(domain: "ChildProcess", code: Int(result), userInfo: [NSLocalizedDescriptionKey: "cannot start \(path): \(String(cString: strerror(result)))"])
        }
        return pid
    }

    /// Exit status, or 128 + signal.
    public static func wait(_ pid: pid_t) -> Int32 {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        return status & 0x7f == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
    }

    public static func terminate(_ pid: pid_t, signal: Int32 = SIGTERM) {
        kill(pid, signal)
        _ = wait(pid)
    }
}
