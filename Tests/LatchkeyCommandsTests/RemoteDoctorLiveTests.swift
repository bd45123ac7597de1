import Foundation
import HummingbirdTesting
import LatchkeyCore
import LatchkeyTestSupport
import Logging
import Testing

@testable import LatchkeyCommands

/// `latchkey doctor --remote` over real sockets: all green for `latchkey demo`, and the exact
/// problem named for each broken deployment.
@Suite("doctor --remote against live servers")
struct RemoteDoctorLiveTests {
  /// Runs `latchkey doctor --remote url --json` with this machine's clock.
  static func doctor(
    _ url: String, transport: any RemoteTransport = URLSessionRemoteTransport()
  ) async throws -> (code: Int32, report: [String: Any], err: String) {
    let console = BufferConsole()
    let context = CommandContext(console: console, clock: SystemClock(), environment: [:])
    let code = await RemoteTransports.$current.withValue(transport) {
      await LatchkeyCLI.run(["doctor", "--remote", url, "--json"], context: context)
    }
    let (out, err) = console.state.withLock { ($0.out, $0.err) }
    let report = try #require(
      try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [String: Any])
    return (code, report, err)
  }

  static func findings(_ report: [String: Any], _ severity: String) -> [String: String] {
    let all = report["findings"] as? [[String: String]] ?? []
    var found: [String: String] = [:]
    for finding in all where finding["severity"] == severity {
      found[finding["check"] ?? "", default: ""] += finding["message"] ?? ""
    }
    return found
  }

  /// Client name → the requirements it misses.
  static func unmet(_ report: [String: Any]) -> [String: [String]] {
    var result: [String: [String]] = [:]
    for client in report["clients"] as? [[String: Any]] ?? [] {
      let unmet = (client["unmet"] as? [[String: String]] ?? []).compactMap { $0["requirement"] }
      result[client["client"] as? String ?? ""] = unmet
    }
    return result
  }

  @Test func theDemoIsAllGreen() async throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
      "latchkey-doctor-\(UUID().uuidString)"
    ).path
    defer { try? FileManager.default.removeItem(atPath: directory) }
    var logger = Logger(label: "latchkey.doctor.remote.test")
    logger.logLevel = .critical
    let runtime = try await DemoRuntime.start(
      DemoOptions(
        username: "demo", password: "demo password 1234", port: 0, mcpPort: 0,
        dataDirectory: directory, passwordHashLogN: 4),
      logger: logger)
    do {
      let result = try await Self.doctor(runtime.mcpURL)
      #expect(result.code == 0, "\(result.report)")
      #expect(result.report["problems"] as? Int == 0)
      #expect(result.report["warnings"] as? Int == 0, "\(Self.findings(result.report, "warning"))")
      #expect(
        Self.unmet(result.report).values.allSatisfy { $0.isEmpty }, "\(Self.unmet(result.report))")
      #expect(Self.unmet(result.report).count == 9)
      #expect(result.err.isEmpty)
    } catch {
      try? await runtime.stop()
      throw error
    }
    try await runtime.stop()
  }

  @Test func aHealthyDeploymentBehindTLSIsAllGreen() async throws {
    try await MisconfiguredDeployment.healthy.application().test(.live) { client in
      let port = try #require(client.port)
      let result = try await Self.doctor(
        "https://127.0.0.1:\(port)/mcp", transport: TLSTerminatingTransport())
      #expect(result.code == 0, "\(Self.findings(result.report, "problem"))")
      #expect(Self.unmet(result.report).values.allSatisfy { $0.isEmpty })
    }
  }

  struct Case: Sendable, CustomTestStringConvertible {
    var name: String
    var deployment: MisconfiguredDeployment
    var https = false
    /// The problem's check and a phrase its message must contain.
    var problem: (check: String, says: String)
    /// A client that must be ✗, and the requirement it misses first.
    var client: (name: String, misses: String)

    var testDescription: String { name }
  }

  static let cases: [Case] = [
    Case(
      name: "wrong issuer slash", deployment: MisconfiguredDeployment(issuerSlash: true),
      problem: ("as.issuer", "by a trailing slash"), client: ("Claude Code", "issuer")),
    Case(
      name: "missing PRM", deployment: MisconfiguredDeployment(servesResourceMetadata: false),
      problem: ("prm", "no protected resource metadata"),
      client: ("VS Code", "protectedResourceMetadata")),
    Case(
      name: "http metadata behind TLS",
      deployment: MisconfiguredDeployment(trustsForwardedProto: false), https: true,
      problem: ("tls.metadata", "reached over https, but"), client: ("ChatGPT", "secureURLs")),
    Case(
      name: "missing CORS", deployment: MisconfiguredDeployment(crossOrigin: false),
      problem: ("cors.as_metadata", "has no Access-Control-Allow-Origin"),
      client: ("MCP Inspector", "crossOrigin")),
  ]

  @Test(arguments: cases)
  func aBrokenDeploymentIsNamed(_ broken: Case) async throws {
    try await broken.deployment.application().test(.live) { client in
      let port = try #require(client.port)
      let result = try await Self.doctor(
        "\(broken.https ? "https" : "http")://127.0.0.1:\(port)/mcp",
        transport: TLSTerminatingTransport())
      #expect(result.code == 1)
      #expect(result.err.hasPrefix("error: doctor found"))
      let problems = Self.findings(result.report, "problem")
      let message = try #require(problems[broken.problem.check], "\(problems)")
      #expect(message.contains(broken.problem.says), "\(message)")
      #expect(Self.unmet(result.report)[broken.client.name]?.first == broken.client.misses)
    }
  }
}
