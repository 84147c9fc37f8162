import Foundation

/// What makes a file too dangerous to accept (problem code `attachment.unsafe`).
public enum UnsafeReason: Sendable, Equatable, Hashable, Codable {
    case executable(ExecutableKind)
    case macroDocument
    case encryptedArchive
    case archiveBomb(String)
    case nestedTooDeep
}

/// How an executable was recognised.
public enum ExecutableKind: Sendable, Equatable, Hashable, Codable {
    /// Windows/DOS program ("MZ", PE).
    case windowsProgram
    case elf
    /// Mach-O, thin or fat (universal).
    case machO
    /// A script that names its interpreter ("#!").
    case interpreterScript
    /// A Windows shortcut (.lnk) by its header.
    case windowsShortcut
    /// A name ending in a runnable extension (".exe", ".vbs" …), including "材料.docx.exe".
    case runnableExtension(String)
    /// A name carrying bidirectional overrides (U+202E …) that make "exe.docx" display as ".docx".
    case disguisedName
}

/// Classifies a file as unsafe by name and first bytes. Macro detection inside documents
/// (vbaProject.bin, an OLE `Macros` storage) is the document readers' job.
public enum UnsafeContent {
    static let runnableExtensions: Set<String> = [
        "exe", "com", "scr", "bat", "cmd", "pif", "js", "jse", "vbs", "vbe", "wsf", "wsh", "hta", "msi", "msp",
        "ps1", "psm1", "lnk", "jar", "apk", "sh", "dll", "cpl", "reg", "vb", "msc", "scf", "gadget", "appx",
        "msix", "application", "command",
    ]
    static let macroExtensions: Set<String> = [
        "docm", "dotm", "xlsm", "xltm", "xlam", "pptm", "potm", "ppsm", "ppam", "sldm",
    ]

    /// The first reason found, executables before macros; nil when the file looks harmless.
    /// `header` should be the file's first few hundred bytes.
    public static func classify(fileName: String?, header: some Collection<UInt8>) -> UnsafeReason? {
        if let fileName, hasBidirectionalOverride(fileName) { return .executable(.disguisedName) }
        if let kind = executableKind(header: Array(header.prefix(512))) { return .executable(kind) }
        if let fileName {
            let extensionName = lastExtension(of: fileName)
            if runnableExtensions.contains(extensionName) { return .executable(.runnableExtension("." + extensionName)) }
            if macroExtensions.contains(extensionName) { return .macroDocument }
        }
        return nil
    }

    /// .docm, .xlsm, .pptm and the other macro-enabled Office types.
    public static func isMacroExtension(_ fileName: String) -> Bool {
        macroExtensions.contains(lastExtension(of: fileName))
    }

    /// The extension Windows would act on: lowercased, after dropping the trailing dots and
    /// spaces that Windows ignores ("材料.exe ." runs as .exe).
    static func lastExtension(of fileName: String) -> String {
        var name = Substring(fileName)
        while let last = name.last, last == "." || last.isWhitespace || last == "\u{0}" { name.removeLast() }
        let base = name.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last ?? name
        guard let dot = base.lastIndex(of: "."), dot != base.startIndex || base.count > 1 else { return "" }
        return base[base.index(after: dot)...].lowercased()
    }

    private static func hasBidirectionalOverride(_ name: String) -> Bool {
        name.unicodeScalars.contains { (0x202A...0x202E).contains($0.value) || (0x2066...0x2069).contains($0.value) }
    }

    private static func executableKind(header bytes: [UInt8]) -> ExecutableKind? {
        func starts(_ magic: [UInt8]) -> Bool { bytes.starts(with: magic) }
        if starts([0x4D, 0x5A]), !looksLikeText(bytes) { return .windowsProgram }
        if starts([0x7F, 0x45, 0x4C, 0x46]) { return .elf }
        let machO: [[UInt8]] = [[0xFE, 0xED, 0xFA, 0xCE], [0xFE, 0xED, 0xFA, 0xCF],
                                [0xCE, 0xFA, 0xED, 0xFE], [0xCF, 0xFA, 0xED, 0xFE], [0xCA, 0xFE, 0xBA, 0xBF]]
        if machO.contains(where: starts) { return .machO }
        // CA FE BA BE is a fat Mach-O, or a Java class file (also code): both refused.
        if starts([0xCA, 0xFE, 0xBA, 0xBE]) { return .machO }
        if starts([0x23, 0x21]) { return .interpreterScript }
        if starts([0x4C, 0x00, 0x00, 0x00, 0x01, 0x14, 0x02, 0x00]) { return .windowsShortcut }
        return nil
    }

    /// A text file that happens to begin with "MZ" is not a program: real MZ headers hold NULs
    /// and other control bytes in their first 64 bytes.
    private static func looksLikeText(_ bytes: [UInt8]) -> Bool {
        let head = bytes.prefix(64)
        return head.count >= 16 && head.allSatisfy { $0 >= 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }
    }
}
