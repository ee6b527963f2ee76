// swift-tools-version:6.1
// The registry: one executable over a stack of small library targets.
// Import direction (never the other way):
//   registry → RegistryApp → RegistryAPI → RegistryCore → Postgres → CLibpq
//                          ↘ RegistryWeb (HTML) ↗
//                          ↘ Routing → HTTPServer → CZlib
//   Formats and CryptoSupport are leaf utilities every layer may use.
import PackageDescription

let package = Package(
    name: "registry",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "registry", targets: ["registry"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        // HTML templates (html.md): logic-less, no dependencies of its own.
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
    ],
    targets: [
        // System libraries (Debian: libpq-dev, zlib1g-dev, libssl-dev).
        .systemLibrary(name: "CLibpq", pkgConfig: "libpq", providers: [.apt(["libpq-dev"])]),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CCrypto", pkgConfig: "libcrypto", providers: [.apt(["libssl-dev"])]),
        // epoll and eventfd (Linux): the event loops wait on them directly.
        .systemLibrary(name: "CEpoll"),

        // Leaf utilities.
        .target(name: "CryptoSupport", dependencies: ["CCrypto"]),
        .target(name: "Formats"),
        // A pthread-mutex lock for the hot paths (see PlainLock for why not Synchronization.Mutex).
        .target(name: "Locks"),

        // Socket layer and HTTP/1.1 (knows nothing about the registry).
        .target(name: "HTTPServer", dependencies: ["CZlib", "CEpoll", "CryptoSupport", "Formats", "Locks"]),
        // Method + raw-path routing, percent-decoding per segment, query parsing.
        .target(name: "Routing", dependencies: ["HTTPServer", "Formats"]),
        // libpq client, pool, migrations runner, embedded cluster (knows nothing about HTTP).
        .target(name: "Postgres", dependencies: ["CLibpq", "CryptoSupport", "Formats", "Locks"]),

        // The registry: domain and SQL stores, JSON API handlers, wiring.
        .target(
            name: "RegistryCore",
            dependencies: ["Postgres", "CryptoSupport", "Formats", "CZlib", "Locks"],
            plugins: ["EmbedMigrations"]
        ),
        .target(name: "RegistryAPI", dependencies: ["RegistryCore", "Routing", "HTTPServer", "Formats"]),
        .target(
            name: "RegistryWeb",
            dependencies: ["RegistryCore", "Routing", "HTTPServer", "Formats", "CryptoSupport", "Postgres",
                           .product(name: "Mustache", package: "swift-mustache")],
            plugins: ["EmbedWebAssets"]
        ),
        .target(name: "RegistryApp", dependencies: ["RegistryAPI", "RegistryWeb", "RegistryCore", "Routing", "HTTPServer", "Postgres", "Locks"]),
        .executableTarget(
            name: "registry",
            dependencies: ["RegistryApp", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),

        // `make bench-api`: loads the benchmark dataset with COPY (not part of the product).
        .executableTarget(
            name: "bench-data",
            dependencies: ["Postgres", "RegistryCore", "RegistryApp", "Formats", "CryptoSupport"],
            path: "Benchmarks/DataGenerator"
        ),

        // Build-time: compiles migrations/*.sql into the binary (OPS-30).
        .executableTarget(name: "MigrationsEmbedder"),
        .plugin(name: "EmbedMigrations", capability: .buildTool(), dependencies: ["MigrationsEmbedder"]),
        .plugin(name: "EmbedWebAssets", capability: .buildTool(), dependencies: ["MigrationsEmbedder"]),

        // Shared helpers for the test targets: a private PostgreSQL cluster, raw-socket client, server launcher.
        .target(name: "TestSupport", dependencies: ["Postgres", "RegistryApp", "HTTPServer"], path: "Tests/TestSupport"),

        .testTarget(name: "FormatsTests", dependencies: ["Formats"]),
        .testTarget(name: "CryptoSupportTests", dependencies: ["CryptoSupport"]),
        .testTarget(name: "HTTPServerTests", dependencies: ["HTTPServer", "TestSupport"]),
        .testTarget(name: "RoutingTests", dependencies: ["Routing"]),
        .testTarget(name: "PostgresTests", dependencies: ["Postgres", "TestSupport"]),
        .testTarget(
            name: "RegistryTests",
            dependencies: ["RegistryApp", "RegistryAPI", "RegistryWeb", "RegistryCore", "TestSupport"]
        ),
    ]
)

for target in package.targets where [.executable, .test, .regular].contains(target.type) {
    var settings = target.swiftSettings ?? []
    settings.append(.swiftLanguageMode(.v6))
    settings.append(.enableUpcomingFeature("ExistentialAny"))
    settings.append(.enableUpcomingFeature("MemberImportVisibility"))
    target.swiftSettings = settings
}
