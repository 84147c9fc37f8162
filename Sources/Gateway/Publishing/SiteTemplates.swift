import Foundation
import Mustache

/// The website column's page templates: `site/index.mustache`, `site/deed.mustache` and
/// `site/style.css` in the templates folder (`Config/templates/site/`), which the website team
/// may restyle. Every value a template gets is text and `{{name}}` escapes it for HTML; a
/// template that would put a value in unescaped (`{{{name}}}`, `{{&name}}`) or change the
/// delimiters or the content type (`{{% CONTENT_TYPE: TEXT}}`) is refused, so nothing from a mail can reach a page as markup.
public struct SiteTemplates: Sendable {
    let index: MustacheTemplate
    let deed: MustacheTemplate
    let stylesheet: Data

    public static func directory(in templatesDirectory: URL) -> URL {
        templatesDirectory.appendingPathComponent("site", isDirectory: true)
    }

    public init(directory: URL) throws {
        index = try Self.load(directory.appendingPathComponent("index.mustache"))
        deed = try Self.load(directory.appendingPathComponent("deed.mustache"))
        let css = directory.appendingPathComponent("style.css")
        do {
            stylesheet = try Data(contentsOf: css)
        } catch {
            throw ConfigurationError("找不到专栏样式表 (no site stylesheet) \(css.path)")
        }
    }

    private static func load(_ file: URL) throws -> MustacheTemplate {
        let text: String
        do {
            text = try String(contentsOf: file, encoding: .utf8)
        } catch {
            throw ConfigurationError("找不到专栏页面模板 (no site template) \(file.path)")
        }
        for unescaped in ["{{{", "{{&", "{{=", "{{%"] where text.contains(unescaped) {
            throw ConfigurationError("专栏模板 \(file.lastPathComponent) 含 \(unescaped)：专栏模板只能用会转义的 {{名称}} "
                                     + "(site templates may only use escaping {{name}} tags): \(file.path)")
        }
        do {
            return try MustacheTemplate(string: text)
        } catch {
            throw ConfigurationError("专栏页面模板有误 (site template) \(file.path): \(error)")
        }
    }
}
