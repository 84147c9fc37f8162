import Foundation
import Store
import TestSupport
import Testing

/// A unit that packs its materials with tar (a .tar.gz from a Linux desktop) is read like one
/// that zips them: every member examined, then kept in the file store by its hash.
@Suite("Materials in a .tar.gz")
struct TarIntakeTests {
    /// Python's tarfile and email packages make the mail: an independent writer of both formats.
    static let makeMail = """
    import sys, tarfile, io, email.message, email.policy
    files, out = sys.argv[1], sys.argv[2]
    members = [('form-huawu.docx', '附件1：推报表（氢燃料电池关键材料攻关团队）.docx'),
               ('essay-huawu.docx', '征文：为中国汽车装上“氢”动力之心.docx'),
               ('photo-big-1400x1050.jpg', '团队成员在燃料电池测试台前.jpg')]
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode='w:gz') as archive:
        for source, name in members:
            archive.add(files + '/' + source, arcname='推报材料/' + name)
    message = email.message.EmailMessage(policy=email.policy.SMTP)
    message['From'] = '张敏 <dangban@dicp.ac.cn>'
    message['To'] = 'xcb@cashq.ac.cn'
    message['Subject'] = '【一所一人一事】大连化物所推报材料（tar.gz）'
    message['Message-ID'] = '<tar-1@dicp.ac.cn>'
    message.set_content('您好，推报材料见附件压缩包。')
    message.add_attachment(buffer.getvalue(), maintype='application', subtype='gzip', filename='推报材料.tar.gz')
    open(out, 'wb').write(message.as_bytes())
    """

    @Test("a .tar.gz is unpacked and judged: check and ingest agree on a receipt; the members are stored")
    func tarGz() throws {
        let workspace = try TestWorkspace()
        defer { workspace.remove() }
        let mail = workspace.directory.appendingPathComponent("tar.eml")
        let python = Process()
        python.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        python.arguments = ["-c", Self.makeMail, TestPaths.samples.appendingPathComponent("files").path, mail.path]
        try python.run()
        python.waitUntilExit()
        try #require(python.terminationStatus == 0)

        let predicted = try SampleIntakeTests.check(mail, in: workspace)
        let filed = try SampleIntakeTests.ingest([mail], in: workspace)
        #expect(filed == [predicted])
        #expect(filed.first?.submissions == [.init(trackingNumber: "YS2018-0001", version: 1, action: "acknowledge", problems: [])])
        for member in ["form-huawu.docx", "essay-huawu.docx", "photo-big-1400x1050.jpg"] {
            let sha256 = try Hex.sha256(fileAt: TestPaths.samples.appendingPathComponent("files/\(member)"))
            let stored = workspace.directory.appendingPathComponent("data/files/\(sha256.prefix(2))/\(sha256.dropFirst(2).prefix(2))/\(sha256)")
            #expect(FileManager.default.fileExists(atPath: stored.path), "\(member) not in the file store")
        }
    }
}
