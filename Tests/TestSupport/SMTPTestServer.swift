import Foundation

/// aiosmtpd (Debian's python3-aiosmtpd) on a free loopback port, writing what it receives to
/// a folder; `plan` makes it answer the first DATA commands with given codes.
public final class SMTPTestServer: @unchecked Sendable {
    // @unchecked Sendable: a test owns its server.
    public let directory: URL
    public let port: Int
    public let caFile: String?
    private var pid: pid_t?

    /// `acceptDelay`: seconds between storing a message and answering 250 (0: at once).
    public init(plan: [Int] = [], repeatPlan: Bool = false, tls: Bool = false, auth: (String, String)? = nil,
                acceptDelay: Double = 0) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("tuibao-smtp-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        port = try DovecotServer.freePort()
        var arguments = [Self.script, "--port", "\(port)", "--dir", directory.path,
                         "--plan", plan.map(String.init).joined(separator: ",")]
        if repeatPlan { arguments.append("--plan-repeat") }
        if acceptDelay > 0 { arguments += ["--accept-delay", "\(acceptDelay)"] }
        if tls {
            let key = directory.appendingPathComponent("key.pem").path, cert = directory.appendingPathComponent("cert.pem").path
            try DovecotServer.run("/usr/bin/openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                                                       "-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
                                                       "-keyout", key, "-out", cert])
            arguments += ["--cert", cert, "--key", key]
            caFile = cert
        } else {
            caFile = nil
        }
        if let auth { arguments += ["--auth", "\(auth.0):\(auth.1)"] }
        pid = try ChildProcess.spawn("/usr/bin/python3", arguments)
        for _ in 0..<400 where !DovecotServer.canConnect(port) { usleep(25_000) }
        guard DovecotServer.canConnect(port) else { throw NSError(domain: "SMTPTestServer", code: 1) }
    }

    static var script: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("smtp_server.py").path
    }

    /// The messages received so far, in order: raw bytes and envelope.
    public func received() -> [(data: Data, from: String, to: [String], tls: Bool)] {
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? [])
            .filter { $0.hasSuffix(".eml") }.sorted()
        return names.compactMap { name in
            let base = directory.appendingPathComponent(String(name.dropLast(4)))
            guard let data = try? Data(contentsOf: base.appendingPathExtension("eml")),
                  let json = try? JSONSerialization.jsonObject(with: Data(contentsOf: base.appendingPathExtension("json"))) as? [String: Any]
            else { return nil }
            return (data, json["from"] as? String ?? "", json["to"] as? [String] ?? [], json["tls"] as? Bool ?? false)
        }
    }

    /// How many DATA commands the server answered (accepted or refused).
    public var dataAttempts: Int {
        ((try? String(contentsOf: directory.appendingPathComponent("attempts.log"), encoding: .utf8)) ?? "")
            .split(separator: "\n").count
    }

    public func stop() {
        guard let pid else { return }
        self.pid = nil
        ChildProcess.terminate(pid, signal: SIGINT)
    }

    public func remove() {
        stop()
        try? FileManager.default.removeItem(at: directory)
    }
}
