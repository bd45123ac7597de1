import Foundation
import LatchkeyServer
import Testing

@testable import LatchkeyCommands

/// `metrics.listen` / `LATCHKEY_METRICS_LISTEN` / `--metrics-listen` (docs/metrics.md).
@Suite("serve: metrics configuration")
struct MetricsConfigurationTests {
  @Test func metricsAreOffUnlessAListenAddressIsGiven() throws {
    let path = try ServeConfigurationTests.configFile(#"{"issuer":"https://a.example"}"#)
    defer { try? FileManager.default.removeItem(atPath: path) }
    let off = try ServeCommand.parse(["--config", path]).resolvedConfiguration(environment: [:])
    #expect(off.metrics == MetricsConfiguration())
    #expect(try off.metrics.listenAddress() == nil)
  }

  @Test func flagOverridesEnvironmentOverridesTheFile() throws {
    let path = try ServeConfigurationTests.configFile(
      #"{"issuer":"https://a.example","metrics":{"listen":"127.0.0.1:9100","path":"/m"}}"#)
    defer { try? FileManager.default.removeItem(atPath: path) }
    let file = try ServeCommand.parse(["--config", path]).resolvedConfiguration(environment: [:])
    #expect(file.metrics == MetricsConfiguration(listen: "127.0.0.1:9100", path: "/m"))
    let environment = ["LATCHKEY_METRICS_LISTEN": "127.0.0.1:9200"]
    let fromEnvironment = try ServeCommand.parse(["--config", path])
      .resolvedConfiguration(environment: environment)
    #expect(fromEnvironment.metrics.listen == "127.0.0.1:9200")
    let turnedOff = try ServeCommand.parse(["--config", path])
      .resolvedConfiguration(environment: ["LATCHKEY_METRICS_LISTEN": ""])
    #expect(turnedOff.metrics.listen == nil)
    let fromFlag = try ServeCommand.parse(["--config", path, "--metrics-listen", "[::1]:9300"])
      .resolvedConfiguration(environment: environment)
    let address = try #require(try fromFlag.metrics.listenAddress())
    #expect(address.host == "::1" && address.port == 9300)
  }

  @Test(arguments: ["9090", "localhost", "127.0.0.1:", "127.0.0.1:70000", ":9090", "[::1:9090"])
  func malformedListenAddressesAreRefusedBeforeStarting(listen: String) throws {
    let path = try ServeConfigurationTests.configFile(#"{"issuer":"https://a.example"}"#)
    defer { try? FileManager.default.removeItem(atPath: path) }
    #expect(throws: (any Error).self) {
      try ServeCommand.parse(["--config", path, "--metrics-listen", listen])
        .resolvedConfiguration(environment: [:])
    }
  }

  @Test func aPathWithoutLeadingSlashIsRefused() throws {
    let path = try ServeConfigurationTests.configFile(
      #"{"issuer":"https://a.example","metrics":{"listen":"127.0.0.1:9100","path":"metrics"}}"#)
    defer { try? FileManager.default.removeItem(atPath: path) }
    #expect(throws: (any Error).self) {
      try ServeCommand.parse(["--config", path]).resolvedConfiguration(environment: [:])
    }
  }
}
