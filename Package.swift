// swift-tools-version:6.1
import PackageDescription

/// Swift 6 language mode and strict concurrency everywhere; warnings are errors in CI via scripts/test.
let strict: [SwiftSetting] = [
  .enableUpcomingFeature("ExistentialAny"),
  .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
  name: "Latchkey",
  platforms: [.macOS(.v15)],
  products: [
    .executable(name: "latchkey", targets: ["latchkey"]),
    .library(name: "LatchkeyJOSE", targets: ["LatchkeyJOSE"]),
    .library(name: "LatchkeyCore", targets: ["LatchkeyCore"]),
    .library(name: "LatchkeyFetch", targets: ["LatchkeyFetch"]),
    .library(name: "LatchkeySQLite", targets: ["LatchkeySQLite"]),
    .library(name: "LatchkeyPostgres", targets: ["LatchkeyPostgres"]),
    .library(name: "LatchkeyStoreConformance", targets: ["LatchkeyStoreConformance"]),
    .library(name: "LatchkeyMCP", targets: ["LatchkeyMCP"]),
    .library(name: "LatchkeyMCPSwiftSDK", targets: ["LatchkeyMCPSwiftSDK"]),
    .library(name: "LatchkeyProxy", targets: ["LatchkeyProxy"]),
    .library(name: "LatchkeyHTTP", targets: ["LatchkeyHTTP"]),
  ],
  traits: [
    .trait(
      name: "PostgreSQL",
      description: """
        The PostgreSQL store (postgres-nio) in the latchkey binary. On by default; \
        `--disable-default-traits` builds the SQLite-only binary, without postgres-nio and the \
        BoringSSL copies that swift-nio-ssl and swift-crypto bring with it.
        """),
    .default(enabledTraits: ["PostgreSQL"]),
  ],
  dependencies: [
    .package(url: "https://github.com/groue/GRDB.swift.git", exact: "7.10.0"),
    .package(url: "https://github.com/apple/swift-argument-parser.git", exact: "1.8.2"),
    .package(url: "https://github.com/apple/swift-log.git", exact: "1.16.2"),
    .package(url: "https://github.com/apple/swift-http-types.git", exact: "1.8.0"),
    .package(url: "https://github.com/apple/swift-nio.git", exact: "2.101.3"),
    .package(
      url: "https://github.com/hummingbird-project/hummingbird.git", exact: "2.28.1",
      traits: ["FullFoundation"]),
    .package(url: "https://github.com/hummingbird-project/swift-mustache.git", exact: "2.1.1"),
    .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", exact: "2.13.0"),
    .package(url: "https://github.com/modelcontextprotocol/swift-sdk.git", exact: "0.12.1"),
    .package(url: "https://github.com/apple/swift-metrics.git", exact: "2.13.0"),
    .package(url: "https://github.com/swift-server/swift-prometheus.git", exact: "2.4.1"),
    .package(url: "https://github.com/swiftlang/swift-docc-plugin.git", exact: "1.5.0"),
    .package(url: "https://github.com/vapor/postgres-nio.git", exact: "1.33.2"),
  ],
  targets: [
    .systemLibrary(
      name: "COpenSSL",
      pkgConfig: "openssl",
      providers: [.apt(["libssl-dev"])]
    ),
    // malloc.h of glibc (libc itself: nothing to link); Linux only.
    .systemLibrary(name: "CGlibcMalloc"),
    .target(
      name: "LatchkeyJOSE",
      dependencies: ["COpenSSL"],
      swiftSettings: strict
    ),
    .target(
      name: "LatchkeyCore",
      dependencies: ["LatchkeyJOSE"],
      swiftSettings: strict
    ),
    .target(
      name: "LatchkeyFetch",
      dependencies: ["LatchkeyCore"],
      swiftSettings: strict
    ),
    .target(
      name: "LatchkeySQLite",
      dependencies: [
        "LatchkeyCore",
        .product(name: "GRDB", package: "GRDB.swift"),
        .product(name: "CoreMetrics", package: "swift-metrics"),
      ],
      swiftSettings: strict
    ),
    .target(
      name: "LatchkeyPostgres",
      dependencies: [
        "LatchkeyCore", "LatchkeyNIO",
        .product(name: "PostgresNIO", package: "postgres-nio"),
        .product(name: "NIOCore", package: "swift-nio"),
        .product(name: "NIOPosix", package: "swift-nio"),
        .product(name: "Logging", package: "swift-log"),
      ],
      swiftSettings: strict
    ),
    .target(
      name: "LatchkeyNIO",
      dependencies: [.product(name: "NIOCore", package: "swift-nio")],
      swiftSettings: strict
    ),
    .target(
      name: "LatchkeyHTTP",
      dependencies: [
        "LatchkeyNIO",
        .product(name: "HummingbirdCore", package: "hummingbird"),
        .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        .product(name: "NIOCore", package: "swift-nio"),
        .product(name: "NIOHTTP1", package: "swift-nio"),
        .product(name: "Logging", package: "swift-log"),
      ],
      swiftSettings: strict
    ),
    .target(
      name: "LatchkeyServer",
      dependencies: [
        "LatchkeyCore",
        "LatchkeyFetch",
        "LatchkeyJOSE",
        "LatchkeyHTTP",
        .target(name: "CGlibcMalloc", condition: .when(platforms: [.linux])),
        .product(name: "Hummingbird", package: "hummingbird"),
        .product(name: "HTTPTypes", package: "swift-http-types"),
        .product(name: "NIOCore", package: "swift-nio"),
        .product(name: "Mustache", package: "swift-mustache"),
        .product(name: "Logging", package: "swift-log"),
        .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        .product(name: "CoreMetrics", package: "swift-metrics"),
      ],
      swiftSettings: strict
    ),
    .target(
      name: "LatchkeyMCP",
      dependencies: [
        "LatchkeyCore",
        "LatchkeyJOSE",
        .product(name: "CoreMetrics", package: "swift-metrics"),
        .product(name: "Hummingbird", package: "hummingbird"),
        .product(name: "HTTPTypes", package: "swift-http-types"),
        .product(name: "NIOCore", package: "swift-nio"),
        .product(name: "Logging", package: "swift-log"),
      ],
      swiftSettings: strict
    ),
    .target(
      name: "LatchkeyMCPSwiftSDK",
      dependencies: [
        "LatchkeyMCP",
        .product(name: "MCP", package: "swift-sdk"),
        .product(name: "Hummingbird", package: "hummingbird"),
        .product(name: "HTTPTypes", package: "swift-http-types"),
        .product(name: "NIOCore", package: "swift-nio"),
        .product(name: "Logging", package: "swift-log"),
        .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
      ],
      swiftSettings: strict
    ),
    .target(
      name: "LatchkeyProxy",
      dependencies: [
        "LatchkeyMCP",
        "LatchkeyHTTP",
        "LatchkeyCore",
        .product(name: "Hummingbird", package: "hummingbird"),
        .product(name: "HTTPTypes", package: "swift-http-types"),
        .product(name: "NIOCore", package: "swift-nio"),
        .product(name: "NIOPosix", package: "swift-nio"),
        .product(name: "NIOHTTP1", package: "swift-nio"),
        .product(name: "Logging", package: "swift-log"),
        .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
      ],
      swiftSettings: strict
    ),
    .target(
      name: "LatchkeyDemo",
      dependencies: [
        "LatchkeyMCP",
        "LatchkeyHTTP",
        "LatchkeyMCPSwiftSDK",
        "LatchkeyCore",
        .product(name: "MCP", package: "swift-sdk"),
        .product(name: "Hummingbird", package: "hummingbird"),
        .product(name: "HTTPTypes", package: "swift-http-types"),
        .product(name: "Logging", package: "swift-log"),
      ],
      swiftSettings: strict
    ),
    .target(
      name: "LatchkeyTestSupport",
      dependencies: [
        "LatchkeyCore", "LatchkeyJOSE", .product(name: "Logging", package: "swift-log"),
        .product(name: "NIOCore", package: "swift-nio"),
        .product(name: "NIOPosix", package: "swift-nio"),
      ],
      swiftSettings: strict
    ),
    .target(
      name: "LatchkeyStoreConformance",
      dependencies: ["LatchkeyCore", "LatchkeyTestSupport"],
      swiftSettings: strict
    ),
    .target(
      name: "LatchkeyCommands",
      dependencies: [
        "LatchkeyCore",
        "LatchkeyFetch",
        "LatchkeyJOSE",
        "LatchkeySQLite",
        .target(name: "LatchkeyPostgres", condition: .when(traits: ["PostgreSQL"])),
        "LatchkeyServer",
        "LatchkeyMCP",
        "LatchkeyProxy",
        "LatchkeyDemo",
        "LatchkeyHTTP",
        .product(name: "Hummingbird", package: "hummingbird"),
        .product(name: "NIOCore", package: "swift-nio"),
        .product(name: "NIOPosix", package: "swift-nio"),
        .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
        .product(name: "Logging", package: "swift-log"),
        .product(name: "CoreMetrics", package: "swift-metrics"),
        .product(name: "Prometheus", package: "swift-prometheus"),
      ],
      swiftSettings: strict
    ),
    .executableTarget(
      name: "latchkey",
      dependencies: ["LatchkeyCommands"],
      swiftSettings: strict
    ),
    .executableTarget(
      name: "latchkey-bench",
      dependencies: [
        "LatchkeyJOSE", "LatchkeyCore", "LatchkeyFetch", "LatchkeySQLite", "LatchkeyMCP",
        "LatchkeyServer", "LatchkeyDemo",
        .product(name: "HTTPTypes", package: "swift-http-types"),
        .product(name: "Hummingbird", package: "hummingbird"),
        .product(name: "Logging", package: "swift-log"),
      ],
      swiftSettings: strict
    ),
    .testTarget(
      name: "LatchkeyJOSETests",
      dependencies: ["LatchkeyJOSE"],
      swiftSettings: strict
    ),
    .testTarget(
      name: "LatchkeyCoreTests",
      dependencies: ["LatchkeyCore", "LatchkeyTestSupport"],
      swiftSettings: strict
    ),
    .testTarget(
      name: "LatchkeySQLiteTests",
      dependencies: [
        "LatchkeySQLite", "LatchkeyPostgres", "LatchkeyCore", "LatchkeyTestSupport",
        .product(name: "MetricsTestKit", package: "swift-metrics"),
      ],
      swiftSettings: strict
    ),
    .testTarget(
      name: "LatchkeyStoreConformanceTests",
      dependencies: [
        "LatchkeyStoreConformance", "LatchkeySQLite", "LatchkeyPostgres", "LatchkeyCore",
        "LatchkeyTestSupport", .product(name: "NIOCore", package: "swift-nio"),
      ],
      swiftSettings: strict
    ),
    .testTarget(
      name: "LatchkeyFetchTests",
      dependencies: [
        "LatchkeyFetch", "LatchkeyCore", "LatchkeyTestSupport",
        .product(name: "HTTPTypes", package: "swift-http-types"),
        .product(name: "Hummingbird", package: "hummingbird"),
        .product(name: "HummingbirdTesting", package: "hummingbird"),
      ],
      swiftSettings: strict
    ),
    .testTarget(
      name: "LatchkeyServerTests",
      dependencies: [
        "LatchkeyServer", "LatchkeySQLite", "LatchkeyCore", "LatchkeyJOSE", "LatchkeyTestSupport",
        "LatchkeyFetch", "LatchkeyHTTP",
        .product(name: "HummingbirdTesting", package: "hummingbird"),
        .product(name: "NIOEmbedded", package: "swift-nio"),
        .product(name: "NIOPosix", package: "swift-nio"),
        .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        .product(name: "MetricsTestKit", package: "swift-metrics"),
        .product(name: "Logging", package: "swift-log"),
      ],
      swiftSettings: strict
    ),
    .testTarget(
      name: "LatchkeyMCPTests",
      dependencies: [
        "LatchkeyMCP", "LatchkeyMCPSwiftSDK", "LatchkeyDemo", "LatchkeyCore", "LatchkeyFetch",
        "LatchkeyJOSE", "LatchkeyTestSupport",
        .product(name: "MCP", package: "swift-sdk"),
        .product(name: "Hummingbird", package: "hummingbird"),
        .product(name: "HummingbirdTesting", package: "hummingbird"),
        .product(name: "HTTPTypes", package: "swift-http-types"),
        .product(name: "NIOCore", package: "swift-nio"),
        .product(name: "Logging", package: "swift-log"),
      ],
      swiftSettings: strict
    ),
    .testTarget(
      name: "LatchkeyProxyTests",
      dependencies: [
        "LatchkeyProxy", "LatchkeyHTTP", "LatchkeyNIO", "LatchkeyMCP", "LatchkeyDemo",
        "LatchkeyCore",
        "LatchkeyFetch",
        "LatchkeyJOSE", "LatchkeyTestSupport",
        .product(name: "Hummingbird", package: "hummingbird"),
        .product(name: "HummingbirdTesting", package: "hummingbird"),
        .product(name: "HTTPTypes", package: "swift-http-types"),
        .product(name: "NIOCore", package: "swift-nio"),
        .product(name: "NIOPosix", package: "swift-nio"),
        .product(name: "NIOHTTP1", package: "swift-nio"),
        .product(name: "Logging", package: "swift-log"),
      ],
      swiftSettings: strict
    ),
    .testTarget(
      name: "LatchkeyCommandsTests",
      dependencies: [
        "LatchkeyCommands", "LatchkeySQLite", "LatchkeyCore", "LatchkeyJOSE", "LatchkeyServer",
        "LatchkeyTestSupport", "LatchkeyMCP", "LatchkeyProxy",
        .product(name: "Logging", package: "swift-log"),
        .product(name: "HummingbirdTesting", package: "hummingbird"),
      ],
      swiftSettings: strict
    ),
    .testTarget(
      name: "LatchkeyDemoTests",
      dependencies: [
        "LatchkeyCommands", "LatchkeySQLite", "LatchkeyCore", "LatchkeyFetch", "LatchkeyJOSE",
        "LatchkeyMCP", "LatchkeyTestSupport", "LatchkeyProxy", "LatchkeyDemo",
        .product(name: "MCP", package: "swift-sdk"),
      ],
      swiftSettings: strict
    ),
  ],
  swiftLanguageModes: [.v6]
)
