import Foundation

/// A page as headless Chromium shows it (Tests/TestSupport/browser_check.py over the DevTools
/// protocol): console errors, failed requests, images, links, text, and a screenshot kept.
public struct BrowserReport: Decodable, Sendable {
    public struct Image: Decodable, Sendable {
        public var src: String
        public var loaded: Bool
        public var width: Int
    }

    public var title: String
    public var text: String
    public var links: [String]
    public var images: [Image]
    /// Wider than the viewport means the page scrolls sideways (a layout that does not fit).
    public var scrollWidth: Int
    /// Whether the Noto CJK font is available to render Chinese.
    public var cjkFont: Bool
    public var consoleErrors: [String]
    public var failedRequests: [String]
}

public enum HeadlessBrowser {
    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("browser_check.py")

    /// Whether Chromium is installed (scripts/bootstrap installs it with fonts-noto-cjk).
    public static var available: Bool { TestProcess.which("chromium") != nil || TestProcess.which("chromium-browser") != nil }

    /// Opens `page` at a width (desktop 1280, phone 390), keeps a full-page screenshot when given a path.
    public static func open(_ page: URL, width: Int = 1280, height: Int = 800, screenshot: URL? = nil) throws -> BrowserReport {
        let python = URL(fileURLWithPath: "/usr/bin/python3")  // Debian's, where apt puts python3-websocket
        var arguments = [script.path, page.absoluteString, "--width", "\(width)", "--height", "\(height)"]
        if let screenshot { arguments += ["--screenshot", screenshot.path] }
        let result = try TestProcess.run(python, arguments)
        guard result.status == 0 else { throw BrowserError(detail: "browser_check exited \(result.status): \(result.error)") }
        return try JSONDecoder().decode(BrowserReport.self, from: Data(result.output.utf8))
    }

    /// Where screenshots are kept for people to look at after a run (.build/test-artifacts).
    public static func artifactDirectory() throws -> URL {
        let directory = TestWorkspace.repositoryRoot.appendingPathComponent(".build/test-artifacts", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory
    }
}

public struct BrowserError: Error, CustomStringConvertible {
    public var detail: String
    public var description: String { detail }
}
