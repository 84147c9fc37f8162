import Testing
import MailTransport

@Suite("libcurl binding")
struct LibcurlInfoTests {
    @Test("the linked libcurl speaks IMAP and SMTP over TLS")
    func secureMail() {
        let info = LibcurlInfo.current()
        #expect(info.supportsSecureMail)
        #expect(info.version.split(separator: ".").count == 3)
        #expect(info.sslVersion?.contains("OpenSSL") == true)
    }
}
