import Testing
@testable import Materials

struct LinkFinderTests {
    @Test func baiduShareTextKeepsItsOwnCode() {
        let text = """
        视频较大，通过网盘发送：
        链接: https://pan.baidu.com/s/1AbCdEfGhIjKlMn?pwd=x7k2 提取码: x7k2 复制这段内容后打开百度网盘手机App，操作更方便哦
        --来自百度网盘超级会员v5的分享
        """
        #expect(LinkFinder.links(inText: text) == [
            PendingLink(url: "https://pan.baidu.com/s/1AbCdEfGhIjKlMn?pwd=x7k2", provider: .baiduPan, code: "x7k2"),
        ])
    }

    @Test func codeInTheURLWins() {
        let links = LinkFinder.links(inText: "https://pan.baidu.com/s/1Zz9?pwd=ab12 提取码：zz99")
        #expect(links == [PendingLink(url: "https://pan.baidu.com/s/1Zz9?pwd=ab12", provider: .baiduPan, code: "ab12")])
    }

    @Test func twoLinksWithTheirOwnCodesDoNotSwap() {
        let text = """
        视频一：https://pan.baidu.com/s/1aaaa 提取码：1111
        视频二：https://pan.cstcloud.cn/s/bbbb
        访问码：2222
        """
        #expect(LinkFinder.links(inText: text) == [
            PendingLink(url: "https://pan.baidu.com/s/1aaaa", provider: .baiduPan, code: "1111"),
            PendingLink(url: "https://pan.cstcloud.cn/s/bbbb", provider: .cstCloud, code: "2222"),
        ])
    }

    @Test func codeOnTheSameLineBelongsToTheLinkBeforeIt() {
        let text = "A: https://share.weiyun.com/aAaA 密码：wy01  B: https://www.jianguoyun.com/p/DbBb 访问密码 jg02"
        #expect(LinkFinder.links(inText: text) == [
            PendingLink(url: "https://share.weiyun.com/aAaA", provider: .weiyun, code: "wy01"),
            PendingLink(url: "https://www.jianguoyun.com/p/DbBb", provider: .jianguoyun, code: "jg02"),
        ])
    }

    @Test func codeTooFarFromTheLinkIsNotTied() {
        let text = "https://pan.baidu.com/s/1far\n\n\n提取码：9999"
        #expect(LinkFinder.links(inText: text) == [PendingLink(url: "https://pan.baidu.com/s/1far", provider: .baiduPan)])
    }

    @Test func differentCodeAfterACodedLinkGoesToTheNextLink() {
        let text = """
        第一段：https://pan.baidu.com/s/1one 提取码：1111
        提取码：2222
        第二段：https://pan.baidu.com/s/1two
        """
        #expect(LinkFinder.links(inText: text).map(\.code) == ["1111", "2222"])
    }

    @Test func repeatedBaiduCodeDoesNotMoveToTheNextLink() {
        let text = """
        链接：https://pan.baidu.com/s/1one?pwd=aaaa
        提取码：aaaa
        链接：https://pan.baidu.com/s/1two
        提取码：bbbb
        """
        #expect(LinkFinder.links(inText: text).map(\.code) == ["aaaa", "bbbb"])
    }

    @Test func fullWidthCodeIsFolded() {
        #expect(LinkFinder.links(inText: "https://pan.baidu.com/s/1fw　提取码：ａｂ１２").map(\.code) == ["ab12"])
    }

    @Test func codeWrittenBeforeItsLink() {
        let text = "提取码为abcd，链接：https://pan.baidu.com/s/1pre"
        #expect(LinkFinder.links(inText: text) == [PendingLink(url: "https://pan.baidu.com/s/1pre", provider: .baiduPan, code: "abcd")])
    }

    @Test func chinesePunctuationAndFullWidthCharactersEndTheURL() {
        let text = "请下载（https://www.jianguoyun.com/p/DRx1q2MQ）。密码：jgy8。另见【https://we.tl/t-AbC123】，或(https://wetransfer.com/downloads/abc/def)."
        #expect(LinkFinder.links(inText: text) == [
            PendingLink(url: "https://www.jianguoyun.com/p/DRx1q2MQ", provider: .jianguoyun, code: "jgy8"),
            PendingLink(url: "https://we.tl/t-AbC123", provider: .weTransfer),
            PendingLink(url: "https://wetransfer.com/downloads/abc/def", provider: .weTransfer),
        ])
    }

    @Test func trailingASCIIPunctuationIsDroppedButBalancedBracketsStay() {
        #expect(LinkFinder.links(inText: "see https://pan.baidu.com/s/1x.").map(\.url) == ["https://pan.baidu.com/s/1x"])
        #expect(LinkFinder.links(inText: "https://example.org/wiki/A_(b)!").map(\.url) == ["https://example.org/wiki/A_(b)"])
        #expect(LinkFinder.links(inText: "https://alipan.com/s/q，密码：ab12").map(\.code) == ["ab12"])
    }

    @Test(arguments: [
        ("https://mail.qq.com/cgi-bin/ftnExs_download?k=2a3b&t=exs_ftn_download&code=7f3a", LinkProvider.qqMailLargeAttachment),
        ("https://wx.mail.qq.com/ftn/download?func=3&key=abc", .qqMailLargeAttachment),
        ("https://mail.qq.com/cgi-bin/frame_html?sid=x", .other),
        ("https://mail.163.com/large-attachment-download/index.html?p=X&file=Y", .netEaseLargeAttachment),
        ("http://fs.163.com/fs/display/?p=X", .netEaseLargeAttachment),
        ("https://mail.126.com/large-attachment-download/index.html?p=Z", .netEaseLargeAttachment),
        ("https://www.163.com/news", .other),
        ("https://pan.baidu.com/s/1abc", .baiduPan),
        ("https://yun.baidu.com/s/1abc", .baiduPan),
        ("https://pan.cstcloud.cn/s/AbCd", .cstCloud),
        ("https://www.aliyundrive.com/s/AbCd", .aliyunDrive),
        ("https://www.alipan.com/s/AbCd", .aliyunDrive),
        ("https://we.tl/t-XyZ", .weTransfer),
        ("https://wetransfer.com/downloads/1", .weTransfer),
        ("https://www.jianguoyun.com/p/AbCd", .jianguoyun),
        ("https://share.weiyun.com/AbCd", .weiyun),
        ("https://wwi.lanzoup.com/iAbCd", .lanzou),
        ("https://lanzoux.com/iAbCd", .lanzou),
        ("https://pan.baidu.com.evil.cn/s/1abc", .other),
        ("https://evilpan.baidu.com.cn/s/1", .other),
        ("https://example.com/pan.baidu.com/s/1", .other),
        ("HTTPS://PAN.BAIDU.COM/s/1ABC", .baiduPan),
    ])
    func providerByHost(url: String, provider: LinkProvider) {
        #expect(LinkFinder.links(inText: "下载：\(url) 谢谢").map(\.provider) == [provider])
        #expect(LinkFinder.links(inText: url).map(\.url) == [url])
    }

    @Test func qqMailCodeParameterIsNotAnExtractionCode() {
        let links = LinkFinder.links(inText: "https://mail.qq.com/cgi-bin/ftnExs_download?k=2a3b&code=7f3a")
        #expect(links.map(\.code) == [nil])
    }

    @Test func onlyHTTPAndHTTPS() {
        let text = "ftp://files.example.cn/a.mp4 thunder://QUFodHRw mailto:x@y.cn file:///etc/passwd https://pan.baidu.com/s/1ok"
        #expect(LinkFinder.links(inText: text).map(\.url) == ["https://pan.baidu.com/s/1ok"])
        #expect(LinkFinder.links(inText: "xhttps://pan.baidu.com/s/1 http:// https://localhost/x").isEmpty)
    }

    @Test func duplicatesAreMergedKeepingACode() {
        let text = "https://pan.baidu.com/s/1dup\n再发一次：https://pan.baidu.com/s/1dup 提取码：dd11"
        #expect(LinkFinder.links(inText: text) == [PendingLink(url: "https://pan.baidu.com/s/1dup", provider: .baiduPan, code: "dd11")])
    }

    @Test func englishKeywordsNeedASeparator() {
        #expect(LinkFinder.links(inText: "https://pan.cstcloud.cn/s/AbC pwd=q1w2").map(\.code) == ["q1w2"])
        #expect(LinkFinder.links(inText: "https://pan.cstcloud.cn/s/AbC code: c0d3").map(\.code) == ["c0d3"])
        #expect(LinkFinder.links(inText: "https://pan.cstcloud.cn/s/AbC see the QR code below").map(\.code) == [nil])
    }

    @Test func htmlHrefsAndVisibleTextWithCodes() {
        let html = """
        <html><head><style>a { color: red } .x::after { content: "https://style.example.cn/x" }</style>
        <script>var u = "https://pan.baidu.com/s/1script";</script></head><body>
        <p>视频链接：<a href="https://pan.baidu.com/s/1HtMl?foo=1&amp;bar=2" target=_blank>点击这里</a></p>
        <p>提取码：h7m1</p>
        <div>第二段视频：<a href='https://pan.cstcloud.cn/s/Cst2'>https://pan.cstcloud.cn/s/Cst2</a>&nbsp;访问码&#65306;cs22</div>
        <!-- <a href="https://pan.baidu.com/s/1comment">old</a> -->
        <a href=https://we.tl/t-Bare>WeTransfer</a><br><a href="mailto:xcb@cashq.ac.cn">邮件</a>
        </body></html>
        """
        #expect(LinkFinder.links(inHTML: html) == [
            PendingLink(url: "https://pan.baidu.com/s/1HtMl?foo=1&bar=2", provider: .baiduPan, code: "h7m1"),
            PendingLink(url: "https://pan.cstcloud.cn/s/Cst2", provider: .cstCloud, code: "cs22"),
            PendingLink(url: "https://we.tl/t-Bare", provider: .weTransfer),
        ])
    }

    @Test func fileShareLikelihood() {
        #expect(PendingLink(url: "https://pan.baidu.com/s/1", provider: .baiduPan).isLikelyFileShare)
        #expect(PendingLink(url: "https://own.example.cn/s/1", provider: .other, code: "ab12").isLikelyFileShare)
        #expect(!PendingLink(url: "https://www.cas.cn/", provider: .other).isLikelyFileShare)
        #expect(LinkProvider.cstCloud.displayName == "中国科技云盘")
    }

    // MARK: - Long bodies (the scanners once cost seconds per MB, superlinear in links)

    /// A 3 MB body: every link is found with its own code, and the Latin words that are no
    /// codes ("password policy", "QR code below") stay unclaimed.
    @Test func aThreeMegabyteBodyFindsEveryLinkWithItsCode() {
        let prose = "本项目长期从事强关联电子体系研究，带领团队建成综合极端条件实验装置。"
            + "We compute the password policy and copy the passcode; see the QR code below.\n"
        var text = ""
        var expected: [PendingLink] = []
        var paragraph = 0
        while text.utf8.count < 3_000_000 {
            paragraph += 1
            text += prose
            if paragraph % 7 == 0 {
                text += "视频链接：https://pan.baidu.com/s/1Ab\(paragraph)Cd 提取码：k\(paragraph)x 请查收。\r\n"
                expected.append(PendingLink(url: "https://pan.baidu.com/s/1Ab\(paragraph)Cd", provider: .baiduPan, code: "k\(paragraph)x"))
            }
            if paragraph % 11 == 0 {
                text += "另见（https://www.jianguoyun.com/p/D\(paragraph)），访问密码：jg\(paragraph)\n"
                expected.append(PendingLink(url: "https://www.jianguoyun.com/p/D\(paragraph)", provider: .jianguoyun, code: "jg\(paragraph)"))
            }
            if paragraph % 13 == 0 {
                text += "Slides: https://example.org/talk_(\(paragraph))).\n"
                expected.append(PendingLink(url: "https://example.org/talk_(\(paragraph))", provider: .other))
            }
        }
        #expect(text.utf8.count >= 3_000_000)
        let links = LinkFinder.links(inText: text)
        #expect(links.count == expected.count)
        #expect(links.count > 4_000)
        #expect(links == expected)
    }

    /// Many links on one line, and a URL trailed by many brackets.
    @Test func denseLinksAndLongBracketTails() {
        let dense = (1...20_000).map { "https://we.tl/t-\($0) code: c\($0)z" }.joined(separator: " ")
        let links = LinkFinder.links(inText: dense)
        #expect(links == (1...20_000).map { PendingLink(url: "https://we.tl/t-\($0)", provider: .weTransfer, code: "c\($0)z") })

        let tail = "https://example.org/wiki/A_(b)" + String(repeating: ")", count: 200_000) + " 密码：abcd"
        #expect(LinkFinder.links(inText: tail) == [PendingLink(url: "https://example.org/wiki/A_(b)", provider: .other, code: "abcd")])
    }

    /// Lines are cut on scalars exactly where `Character.isNewline` cuts a String.
    @Test(arguments: [
        "", "\n", "a\nb", "a\r\nb", "a\n\rb", "a\r\r\nb", "a\u{0B}b\u{0C}c", "a\u{85}b\u{2028}c\u{2029}d",
        "a\n\u{301}b", "a\r\n\u{301}b", "e\u{301}\r", "\r\n\r\n", "提取码\r\nabcd\n",
    ])
    func linesSplitAsStringSplits(text: String) {
        let scalars = Array(text.unicodeScalars)
        var lines: [String] = []
        LinkFinder.forEachLine(of: scalars) { number, range in
            #expect(number == lines.count)
            lines.append(String(String.UnicodeScalarView(scalars[range])))
        }
        #expect(lines == text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).map(String.init))
    }

    /// An HTML body of 1 MB: its text is built by appending, not by copying it whole each time.
    @Test func aLongHTMLBodyFindsEveryLink() {
        var html = "<html><body>"
        var expected: [PendingLink] = []
        var paragraph = 0
        while html.utf8.count < 1_000_000 {
            paragraph += 1
            html += "<p>本项目长期从事强关联电子体系研究&nbsp;取得了一系列重要成果。</p>"
            if paragraph % 9 == 0 {
                html += "<div>视频：<a href=\"https://pan.baidu.com/s/1h\(paragraph)\">点击</a> 提取码：h\(paragraph)m</div>"
                expected.append(PendingLink(url: "https://pan.baidu.com/s/1h\(paragraph)", provider: .baiduPan, code: "h\(paragraph)m"))
            }
        }
        #expect(LinkFinder.links(inHTML: html + "</body></html>") == expected)
    }
}
