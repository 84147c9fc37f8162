// swift-tools-version:6.0
import PackageDescription

let strictSwift: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "tuibao",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "tuibao", targets: ["tuibao"]),
        .executable(name: "tuibao-bench", targets: ["tuibao-bench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    ],
    targets: [
        // C at the edge: system libraries plus small static-inline shims (see each shim.h).
        .systemLibrary(name: "CGMime", pkgConfig: "gmime-3.0",
                       providers: [.apt(["libgmime-3.0-dev"])]),
        .systemLibrary(name: "CCurl", pkgConfig: "libcurl",
                       providers: [.apt(["libcurl4-openssl-dev"])]),

        // Raw message file → Swift values. No caller ever sees a GMime pointer.
        .target(name: "MIME",
                dependencies: ["CGMime", .product(name: "Crypto", package: "swift-crypto")],
                swiftSettings: strictSwift),

        // The domain: rules, problems, decisions, tracking numbers. No I/O, imports nothing of ours.
        .target(name: "Intake", swiftSettings: strictSwift),

        // GRDB records, append-only migrations, the spool and the content-addressed file store.
        .target(name: "Store", dependencies: ["Intake", .product(name: "GRDB", package: "GRDB.swift"),
                                              .product(name: "Crypto", package: "swift-crypto")],
                swiftSettings: strictSwift),

        // Rooms named for their job: the intake core and pipeline, examination, duplicates, replies, the service, staff actions.
        .target(name: "Gateway", dependencies: ["MIME", "Intake", "Store", "MailTransport", "MaterialChecks", "Materials", "Fingerprints",
                                                .product(name: "TOMLKit", package: "TOMLKit"),
                                                .product(name: "Mustache", package: "swift-mustache"),
                                                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                                                .product(name: "Logging", package: "swift-log"),
                                                .product(name: "Crypto", package: "swift-crypto"),
                                                .product(name: "ZIPFoundation", package: "ZIPFoundation")],
                swiftSettings: strictSwift),

        // Pure readers of the materials units send: document text and 字数, images, videos, forms,
        // links, archives, unsafe files. Each gets one file and returns values; no store, no mail.
        .systemLibrary(name: "CArchive", pkgConfig: "libarchive", providers: [.apt(["libarchive-dev"])]),
        // libxml2 for the XML inside OOXML parts (Foundation's XMLParser traps on some untrusted bytes).
        .systemLibrary(name: "CXML", pkgConfig: "libxml-2.0", providers: [.apt(["libxml2-dev"])]),
        .target(name: "Materials",
                dependencies: ["CArchive", "CXML"],
                swiftSettings: strictSwift),

        // Essay fingerprints for duplicate detection: normalisation, MinHash, LSH bands, similarity.
        .target(name: "Fingerprints", swiftSettings: strictSwift),

        // The campaign's rules over facts: nominations per form, problems, the action. Pure: no file I/O.
        .target(name: "MaterialChecks", dependencies: ["Intake", "Materials"],
                swiftSettings: strictSwift),

        // IMAP and SMTP over libcurl.
        .target(name: "MailTransport", dependencies: ["CCurl"], swiftSettings: strictSwift),

        // Staff and operator commands, a library so tests can run them.
        .target(name: "TuibaoCommands",
                dependencies: ["MIME", "Intake", "Store", "Gateway", "MaterialChecks", "MailTransport",
                               .product(name: "ArgumentParser", package: "swift-argument-parser"),
                               .product(name: "ZIPFoundation", package: "ZIPFoundation"),
                               .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                               .product(name: "Logging", package: "swift-log")],
                swiftSettings: strictSwift),
        .executableTarget(name: "tuibao", dependencies: ["TuibaoCommands"], swiftSettings: strictSwift),
        .executableTarget(name: "tuibao-bench", dependencies: ["MIME", "Intake", "Store", "Fingerprints", "Gateway", "MaterialChecks", "TestSupport",
                                                             .product(name: "ZIPFoundation", package: "ZIPFoundation")],
                          swiftSettings: strictSwift),

        .testTarget(name: "GatewayTests", dependencies: ["Gateway", "Store", "Intake", "MIME", "MailTransport", "TestSupport", "MaterialChecks",
                                                        .product(name: "Crypto", package: "swift-crypto"),
                                                        .product(name: "GRDB", package: "GRDB.swift")],
                    exclude: ["Fixtures"], swiftSettings: strictSwift),
        .testTarget(name: "IntakeTests", dependencies: ["Intake", .product(name: "TOMLKit", package: "TOMLKit")],
                    swiftSettings: strictSwift),
        .testTarget(name: "FingerprintsTests", dependencies: ["Fingerprints"], swiftSettings: strictSwift),
        .testTarget(name: "MaterialsTests", dependencies: ["Materials", .product(name: "ZIPFoundation", package: "ZIPFoundation")], resources: [.copy("Fixtures")], swiftSettings: strictSwift),
        .testTarget(name: "MaterialChecksTests", dependencies: ["MaterialChecks", "Materials", "Intake"],
                    swiftSettings: strictSwift),
        // Real servers for tests (Dovecot, later an SMTP server), started on loopback.
        // Test paths and a private workspace (data directory, configuration, the built CLI) too.
        // tuibao-bench's latency mode runs the same servers.
        .target(name: "TestSupport", dependencies: ["Gateway", "Store"], path: "Tests/TestSupport", exclude: ["smtp_server.py", "review_reply.py", "browser_check.py"],
                swiftSettings: strictSwift),
        .testTarget(name: "MailTransportTests", dependencies: ["MailTransport", "TestSupport"], swiftSettings: strictSwift),
        .testTarget(name: "MIMETests", dependencies: ["MIME", "TestSupport", .product(name: "Crypto", package: "swift-crypto")],
                    swiftSettings: strictSwift),
        .testTarget(name: "TuibaoCommandsTests", dependencies: ["TuibaoCommands", "Gateway", "Store", "Intake", "MIME", "TestSupport",
                                                               .product(name: "Crypto", package: "swift-crypto"),
                                                               .product(name: "GRDB", package: "GRDB.swift")],
                    swiftSettings: strictSwift),
    ],
    swiftLanguageModes: [.v6]
)

// libFuzzer harnesses (Fuzz/, run by scripts/fuzz): one executable per reader of untrusted bytes.
// They exist only when TUIBAO_FUZZ=1, and scripts/fuzz builds them in their own scratch path with
// `-sanitize=fuzzer,address`, so a normal `swift build` / `swift test` neither sees nor pays for them.
if Context.environment["TUIBAO_FUZZ"] == "1" {
    let fuzzTargets: [(name: String, dependencies: [Target.Dependency])] = [
        ("mime", ["MIME"]), ("encoded-words", ["MIME"]), ("content-params", ["MIME"]),
        ("docx", ["Materials"]), ("xlsx", ["Materials"]), ("ooxml-xml", ["Materials"]),
        ("ole", ["Materials"]), ("pdf", ["Materials"]), ("mp4", ["Materials"]),
        ("image", ["Materials"]), ("tnef", ["Materials"]), ("archive", ["Materials"]),
        ("forms", ["Materials"]), ("links", ["Materials", "MIME"]), ("csv", ["Gateway"]),
    ]
    package.targets.append(.systemLibrary(name: "CLibFuzzer", path: "Fuzz/CLibFuzzer"))
    package.targets.append(.target(name: "FuzzSupport", dependencies: ["CLibFuzzer"], path: "Fuzz/Support"))
    for target in fuzzTargets {
        package.targets.append(.executableTarget(name: "fuzz-\(target.name)", dependencies: target.dependencies + ["FuzzSupport"],
                                                 path: "Fuzz/Targets/\(target.name)"))
    }
}
