import Foundation
import Testing
@testable import Materials

struct UnsafeContentTests {
    private static let pe: [UInt8] = [0x4D, 0x5A, 0x90, 0x00, 0x03, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0xFF, 0xFF, 0x00, 0x00]
    private static let pdf = Array("%PDF-1.7\n%âãÏÓ\n".utf8)
    private static let zip: [UInt8] = [0x50, 0x4B, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00]
    private static let ole: [UInt8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]

    @Test(arguments: [
        ("材料.pdf", pe, UnsafeReason.executable(.windowsProgram)),
        (nil, [0x7F, 0x45, 0x4C, 0x46, 0x02, 0x01, 0x01, 0x00], .executable(.elf)),
        ("a.bin", [0xCF, 0xFA, 0xED, 0xFE, 0x07, 0x00, 0x00, 0x01], .executable(.machO)),
        ("a.bin", [0xCA, 0xFE, 0xBA, 0xBE, 0x00, 0x00, 0x00, 0x02], .executable(.machO)),
        ("run.txt", Array("#!/bin/sh\nrm -rf /\n".utf8), .executable(.interpreterScript)),
        ("a.pdf", [0x4C, 0x00, 0x00, 0x00, 0x01, 0x14, 0x02, 0x00, 0x00, 0x00], .executable(.windowsShortcut)),
        ("材料.docx.exe", pdf, .executable(.runnableExtension(".exe"))),
        ("征文.DOCX.Exe", zip, .executable(.runnableExtension(".exe"))),
        ("材料.exe. ", pdf, .executable(.runnableExtension(".exe"))),
        ("setup.msi", ole, .executable(.runnableExtension(".msi"))),
        ("视频.mp4                    .scr", pdf, .executable(.runnableExtension(".scr"))),
        ("说明.vbs", Array("MsgBox 1".utf8), .executable(.runnableExtension(".vbs"))),
        ("app.apk", zip, .executable(.runnableExtension(".apk"))),
        ("lib.jar", zip, .executable(.runnableExtension(".jar"))),
        ("x/y\\install.ps1", [], .executable(.runnableExtension(".ps1"))),
        ("报告\u{202E}xcod.exe", zip, .executable(.disguisedName)),
        ("征文.docm", zip, .macroDocument),
        ("表.XLSM", zip, .macroDocument),
        ("演示.pptm", zip, .macroDocument),
    ] as [(String?, [UInt8], UnsafeReason)])
    func unsafe(name: String?, header: [UInt8], reason: UnsafeReason) {
        #expect(UnsafeContent.classify(fileName: name, header: header) == reason)
    }

    @Test(arguments: [
        ("征文.docx", zip), ("照片.jpg", [0xFF, 0xD8, 0xFF, 0xE0]), ("推报表.pdf", pdf), ("旧版.doc", ole),
        ("notes.txt", Array("MZ is the name of our lab's mascot, see the note.".utf8)),
        ("execute.txt", Array("text".utf8)), ("无扩展名", []), ("a.exe.pdf", pdf),
    ] as [(String, [UInt8])])
    func harmless(name: String, header: [UInt8]) {
        #expect(UnsafeContent.classify(fileName: name, header: header) == nil)
    }

    @Test func macroExtensions() {
        #expect(UnsafeContent.isMacroExtension("a.XLSM"))
        #expect(UnsafeContent.isMacroExtension("模板.dotm"))
        #expect(!UnsafeContent.isMacroExtension("a.docx"))
        #expect(!UnsafeContent.isMacroExtension("docm"))
    }

    @Test func reasonsRoundTripThroughJSON() throws {
        let reasons: [UnsafeReason] = [.executable(.runnableExtension(".exe")), .macroDocument, .encryptedArchive,
                                       .archiveBomb("ratio"), .nestedTooDeep, .executable(.machO)]
        let decoded = try JSONDecoder().decode([UnsafeReason].self, from: JSONEncoder().encode(reasons))
        #expect(decoded == reasons)
    }
}
