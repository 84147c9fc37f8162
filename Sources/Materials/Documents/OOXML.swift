import Foundation

/// Office Open XML packaging: which kind of document a ZIP is, told by `[Content_Types].xml`
/// (the extension a unit gave the file is not trusted).
public enum OOXML {
    public enum Kind: Sendable, Equatable {
        case wordDocument(macroEnabled: Bool)
        case spreadsheet(macroEnabled: Bool)
        case presentation(macroEnabled: Bool)
        /// A ZIP that is not an Office document we know.
        case other
    }

    /// Sniffs the kind of an OOXML file. Throws `ContainerError` for non-ZIPs and over-limit archives.
    public static func kind(ofFileAt url: URL, limits: ContainerLimits = .default) throws -> Kind {
        let zip = try BoundedZip(fileAt: url, limits: limits)
        guard let types = try ContentTypes(in: zip) else { return .other }
        return types.kind
    }
}

/// The parsed `[Content_Types].xml`: per-part overrides and per-extension defaults.
struct ContentTypes {
    static let partName = "[Content_Types].xml"
    static let macroEnabledWordMain = "application/vnd.ms-word.document.macroEnabled.main+xml"

    /// Lower-cased part name without leading "/" → content type.
    private(set) var overrides: [String: String] = [:]
    private(set) var defaults: [String: String] = [:]

    /// nil when the package has no `[Content_Types].xml`.
    init?(in zip: BoundedZip) throws {
        guard let data = try zip.data(of: Self.partName) else { return nil }
        var overrides: [String: String] = [:], defaults: [String: String] = [:]
        do {
            try XMLEvents.read(data) { event in
                guard case .start(let element) = event else { return }
                let attributes = element.attributes
                switch element.localName {
                case "Override":
                    if let name = attributes["PartName"], let type = attributes["ContentType"] {
                        overrides[ZipFile.key(name)] = type
                    }
                case "Default":
                    if let ext = attributes["Extension"], let type = attributes["ContentType"] {
                        defaults[ext.lowercased()] = type
                    }
                default:
                    break
                }
            }
        } catch {
            throw ContainerError.malformedPart(Self.partName)
        }
        self.overrides = overrides
        self.defaults = defaults
    }

    /// The names (as written, leading "/" removed) of parts whose content type satisfies `matches`.
    func parts(where matches: (String) -> Bool) -> [String] {
        overrides.filter { matches($0.value) }.map(\.key).sorted()
    }

    var mainPartType: String? {
        overrides.values.first { $0.hasSuffix(".main+xml") }
    }

    var kind: OOXML.Kind {
        guard let main = mainPartType?.lowercased() else { return .other }
        let macro = main.contains("macroenabled")
        if main.contains("wordprocessingml") || main.contains("ms-word") { return .wordDocument(macroEnabled: macro) }
        if main.contains("spreadsheetml") || main.contains("ms-excel") { return .spreadsheet(macroEnabled: macro) }
        if main.contains("presentationml") || main.contains("ms-powerpoint") { return .presentation(macroEnabled: macro) }
        return .other
    }
}
