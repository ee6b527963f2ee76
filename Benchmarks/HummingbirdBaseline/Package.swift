// swift-tools-version:6.1
// The baseline of `make bench-http` only: the same tiny JSON route on Hummingbird 2, built from the
// local package copy in the same run. The product never depends on this package.
import PackageDescription

let package = Package(
    name: "HummingbirdBaseline",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1")
    ],
    targets: [
        .executableTarget(
            name: "HummingbirdBaseline",
            dependencies: [.product(name: "Hummingbird", package: "hummingbird")]
        )
    ]
)
