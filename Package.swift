// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "token-proxy",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "token-proxy", targets: ["token-proxy"]),
        .library(name: "TokenProxy", targets: ["TokenProxy"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    ],
    targets: [
        .target(
            name: "CCurl",
            linkerSettings: [.linkedLibrary("curl"), .linkedLibrary("crypto")]
        ),
        .target(name: "CEpoll"),
        .target(name: "CAllocator"),
        .target(
            name: "CCrypto",
            linkerSettings: [.linkedLibrary("ssl"), .linkedLibrary("crypto")]
        ),
        .target(
            name: "TokenProxy",
            dependencies: [
                "CCurl",
                "CCrypto",
                "CEpoll",
                "CAllocator",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Yams", package: "Yams"),
            ]
        ),
        .executableTarget(
            name: "token-proxy",
            dependencies: [
                "TokenProxy",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ]
        ),
        .executableTarget(
            name: "ParserFuzzer",
            dependencies: ["TokenProxy"]
        ),
        .testTarget(
            name: "TokenProxyTests",
            dependencies: [
                "TokenProxy", "CCrypto",
                .product(name: "MetricsTestKit", package: "swift-metrics"),
            ]
        ),
        .testTarget(
            name: "IntegrationTests",
            dependencies: ["TokenProxy", "CCrypto"]
        ),
    ]
)
