import Foundation
import Gateway
import Store

/// The office report as one self-contained HTML page: inline CSS and SVG, no script, no
/// network; prints on A4 landscape. Every text from the store is escaped.
enum ReportPage {
    static func html(_ report: CampaignReport) -> String {
        let statuses = SubmissionStatus.allCases
        var body: [String] = []
        body.append("<header><h1>\(e(report.campaign.name))</h1>"
                    + "<p class=\"meta\">活动报表 · 生成于 \(e(StaffFormatting.date(report.generatedAt)))（\(e(StaffFormatting.clock.label))）</p></header>")

        // Totals
        var cards = ["<div class=\"card total\"><span class=\"n\">\(report.totals.submissions)</span><span>推报</span></div>",
                     "<div class=\"card live\"><span class=\"n\">\(report.totals.live)</span><span>有效推报</span></div>"]
        for status in statuses {
            cards.append("<div class=\"card s-\(status.rawValue)\"><span class=\"n\">\(report.totals.byStatus[status.rawValue] ?? 0)</span>"
                         + "<span>\(e(status.label))</span></div>")
        }
        let messages = report.messages
        body.append("<section><h2>总体情况</h2><div class=\"cards\">\(cards.joined())</div>"
                    + "<p>收到邮件 \(messages.values.reduce(0, +)) 封：已受理 \(messages["filed"] ?? 0) 封，不处理（自动回复、退信等）"
                    + "\(messages["ignored"] ?? 0) 封，无法解析 \(messages["failed"] ?? 0) 封，待处理 \(messages["received"] ?? 0) 封。</p></section>")

        // Intake per day
        body.append("<section><h2>每日收到的推报</h2>\(chart(report.perDay))</section>")

        // Units
        let missing = report.units.filter { $0.live == 0 }.count
        // Units that sent something first (most live submissions first), then the rest in the
        // registry's order: the ones still to chase are together, and marked.
        let ordered = report.units.enumerated().sorted { a, b in
            let (sentA, sentB) = (a.element.byStatus.values.reduce(0, +) > 0, b.element.byStatus.values.reduce(0, +) > 0)
            if sentA != sentB { return sentA }
            if a.element.live != b.element.live { return a.element.live > b.element.live }
            return a.offset < b.offset
        }.map(\.element)
        var unitRows = ordered.map { unit -> String in
            let cells = statuses.map { "<td class=\"num\">\(zero(unit.byStatus[$0.rawValue] ?? 0))</td>" }.joined()
            return "<tr\(unit.live == 0 ? " class=\"none\"" : "")><th scope=\"row\">\(e(unit.name))</th>\(cells)"
                + "<td class=\"num live\">\(unit.live == 0 ? "尚无" : String(unit.live))</td></tr>"
        }
        let unknownTotal = report.unregistered.values.reduce(0, +)
        if unknownTotal > 0 {
            unitRows.append("<tr class=\"unknown\"><th scope=\"row\">名录外发件人（待核实单位）</th>"
                            + statuses.map { "<td class=\"num\">\(zero(report.unregistered[$0.rawValue] ?? 0))</td>" }.joined()
                            + "<td class=\"num\">—</td></tr>")
        }
        body.append("<section class=\"units\"><h2>各单位报送情况</h2><p>名录共 \(report.units.count) 个单位，"
                    + "<strong>\(missing) 个尚无有效推报</strong>（底色标出）。有效推报指已受理、待补正、已采纳的推报。</p>"
                    + "<table><thead><tr><th scope=\"col\">单位</th>"
                    + statuses.map { "<th scope=\"col\">\(e($0.label))</th>" }.joined() + "<th scope=\"col\">有效</th></tr></thead>"
                    + "<tbody>\(unitRows.joined())</tbody></table></section>")


        // Problems
        if report.problems.isEmpty {
            body.append("<section><h2>材料问题</h2><p>当前各版本没有发现问题。</p></section>")
        } else {
            let rows = report.problems.map { problem in
                "<tr><td>\(e(problem.label))</td><td><code>\(e(problem.code))</code></td>"
                    + "<td>\(e(severityLabel(problem.severity)))</td><td class=\"num\">\(problem.submissions)</td></tr>"
            }.joined()
            body.append("<section><h2>材料问题</h2><p>各推报当前版本中的问题，按涉及的推报件数。</p><table><thead><tr>"
                        + "<th scope=\"col\">问题</th><th scope=\"col\">代码</th><th scope=\"col\">级别</th><th scope=\"col\">件数</th>"
                        + "</tr></thead><tbody>\(rows)</tbody></table></section>")
        }

        // Duplicates
        let duplicateRows = report.duplicates.map {
            "<tr><td>\(e($0.trackingNumber))</td><td>\(e($0.label))</td><td>\(e($0.matched))</td></tr>"
        }.joined()
        body.append("<section><h2>重复报送</h2>" + (report.duplicates.isEmpty ? "<p>没有发现重复报送。</p>"
            : "<table><thead><tr><th scope=\"col\">受理编号</th><th scope=\"col\">判断</th><th scope=\"col\">与之重复</th></tr></thead>"
                + "<tbody>\(duplicateRows)</tbody></table>") + "</section>")

        // Pending video links
        let pendingRows = report.pendingLinks.flatMap { pending in
            pending.links.map { link in
                "<tr><td>\(e(pending.trackingNumber))</td><td class=\"url\">\(e(link.url))</td><td>\(e(link.code ?? "—"))</td></tr>"
            }
        }.joined()
        body.append("<section><h2>待下载的视频链接</h2>" + (report.pendingLinks.isEmpty ? "<p>没有待下载的链接。</p>"
            : "<table><thead><tr><th scope=\"col\">受理编号</th><th scope=\"col\">链接</th><th scope=\"col\">提取码</th></tr></thead>"
                + "<tbody>\(pendingRows)</tbody></table>") + "</section>")

        // Replies
        let replies = report.replies
        body.append("<section><h2>回复</h2><p>已发送 \(replies["sent"] ?? 0) 封，待发 \(replies["queued"] ?? 0) 封，"
                    + "暂缓（频率限制或内容相同）\(replies["suppressed"] ?? 0) 封，发送失败 \(replies["failed"] ?? 0) 封。</p></section>")

        return """
            <!DOCTYPE html>
            <html lang="zh-CN">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(e(report.campaign.name)) · 活动报表</title>
            <style>\(style)</style>
            </head>
            <body>
            \(body.joined(separator: "\n"))
            </body>
            </html>

            """
    }

    /// Bars per day, the count above each, dates under the first, last and every seventh bar.
    static func chart(_ days: [CampaignReport.Day]) -> String {
        guard !days.isEmpty else { return "<p>尚未收到推报。</p>" }
        let maximum = max(1, days.map(\.submissions).max() ?? 1)
        let barWidth = 24, gap = 6, height = 160, top = 20, bottom = 36
        let width = days.count * (barWidth + gap) + gap
        var parts: [String] = []
        for (index, day) in days.enumerated() {
            let x = gap + index * (barWidth + gap)
            let barHeight = Int((Double(day.submissions) / Double(maximum) * Double(height)).rounded())
            let y = top + height - barHeight
            parts.append("<rect x=\"\(x)\" y=\"\(y)\" width=\"\(barWidth)\" height=\"\(barHeight)\"><title>\(day.day)：\(day.submissions) 件</title></rect>")
            if day.submissions > 0 {
                parts.append("<text x=\"\(x + barWidth / 2)\" y=\"\(y - 4)\" class=\"count\">\(day.submissions)</text>")
            }
            if index == 0 || index == days.count - 1 || index % 7 == 0 {
                parts.append("<text x=\"\(x + barWidth / 2)\" y=\"\(top + height + 16)\" class=\"day\">\(day.day.dropFirst(5))</text>")
            }
        }
        return "<figure><svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(width) \(top + height + bottom)\" "
            + "width=\"\(width)\" height=\"\(top + height + bottom)\" role=\"img\" aria-label=\"每日收到的推报件数\">"
            + "<line x1=\"0\" y1=\"\(top + height)\" x2=\"\(width)\" y2=\"\(top + height)\" class=\"axis\"/>"
            + parts.joined() + "</svg><figcaption>\(days.first!.day) 至 \(days.last!.day)，单日最多 \(maximum) 件。</figcaption></figure>"
    }

    static func severityLabel(_ severity: String) -> String {
        severity == "error" ? "错误" : severity == "warning" ? "警告" : "提示"
    }

    static func zero(_ value: Int) -> String { value == 0 ? "·" : String(value) }

    /// HTML-escaped, as the column's pages are (one escaper for every page we write).
    static func e(_ text: String) -> String { SiteText.xml(text) }

    static let style = """
        body { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC", sans-serif;
               margin: 0 auto; padding: 1.5rem; max-width: 72rem; color: #1f2328; line-height: 1.5; }
        h1 { font-size: 1.5rem; margin: 0; } h2 { font-size: 1.15rem; border-bottom: 2px solid #b22222; padding-bottom: .2rem; }
        .meta { color: #57606a; margin: .2rem 0 0; }
        .cards { display: flex; flex-wrap: wrap; gap: .6rem; }
        .card { border: 1px solid #d0d7de; border-radius: 6px; padding: .5rem .9rem; min-width: 6rem; display: flex; flex-direction: column; }
        .card .n { font-size: 1.6rem; font-weight: bold; } .card.live { border-color: #1a7f37; }
        table { border-collapse: collapse; width: 100%; font-size: .92rem; }
        th, td { border: 1px solid #d0d7de; padding: .25rem .5rem; text-align: left; vertical-align: top; }
        thead th { background: #f6f8fa; } td.num { text-align: right; font-variant-numeric: tabular-nums; }
        tr.none th, tr.none td { background: #fff1e5; } tr.none td.live { color: #b22222; font-weight: bold; }
        tr.unknown th { font-style: italic; } td.url { word-break: break-all; }
        .units { overflow-x: auto; }
        figure { margin: 0; overflow-x: auto; } svg rect { fill: #b22222; } svg .axis { stroke: #57606a; }
        svg text { font-size: 11px; text-anchor: middle; fill: #1f2328; } figcaption { color: #57606a; font-size: .9rem; }
        @media (max-width: 600px) { body { padding: .75rem; } .card { min-width: 4.5rem; } table { font-size: .8rem; } }
        @media print {
          @page { size: A4 landscape; margin: 12mm; }
          body { max-width: none; padding: 0; font-size: 10pt; }
          section { break-inside: avoid-page; } .units { overflow: visible; } tr { break-inside: avoid; }
          thead { display: table-header-group; } tr.none th, tr.none td { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
        }
        """
}
