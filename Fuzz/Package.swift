// swift-tools-version:6.1
import PackageDescription

/// libFuzzer targets over Latchkey's parsers, kept out of the main package so `swift build`
/// there never sees them. Build with scripts/fuzz (adds -sanitize=fuzzer,address).
let fuzzer: [SwiftSetting] = [.unsafeFlags(["-parse-as-library"])]

let package = Package(
  name: "LatchkeyFuzz",
  platforms: [.macOS(.v15)],
  dependencies: [.package(name: "Latchkey", path: "..")],
  targets: [
    .target(name: "FuzzDriver", swiftSettings: fuzzer),
    .executableTarget(
      name: "FuzzJWS",
      dependencies: ["FuzzDriver", .product(name: "LatchkeyJOSE", package: "Latchkey")],
      swiftSettings: fuzzer),
    .executableTarget(
      name: "FuzzScopeAndRedirect",
      dependencies: ["FuzzDriver", .product(name: "LatchkeyCore", package: "Latchkey")],
      swiftSettings: fuzzer),
    .executableTarget(
      name: "FuzzClientMetadata",
      dependencies: ["FuzzDriver", .product(name: "LatchkeyCore", package: "Latchkey")],
      swiftSettings: fuzzer),
    .executableTarget(
      name: "FuzzMCPRules",
      dependencies: ["FuzzDriver", .product(name: "LatchkeyMCP", package: "Latchkey")],
      swiftSettings: fuzzer),
  ]
)
