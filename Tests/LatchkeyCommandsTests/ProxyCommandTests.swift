import Foundation
import LatchkeyCore
import LatchkeyMCP
import LatchkeyProxy
import LatchkeyServer
import Logging
import Testing

@testable import LatchkeyCommands

@Suite("proxy: configuration file and flags")
struct ProxyCommandTests {
  static let file = #"""
    {"listen": "0.0.0.0:9100", "upstream": "http://127.0.0.1:9000/mcp",
     "resource": "https://mcp.example.com/mcp", "issuer": "https://auth.example.com",
     "scopes": "docs:read", "tool_scopes": {"publish": "docs:write"},
     "unlisted_tool_scopes": "docs:write", "implied_scopes": {"docs:write": "docs:read"},
     "tool_calls_per_minute": 30, "tool_calls_per_minute_by_tool": {"publish": 5},
     "resource_name": "Docs", "upstream_timeout_seconds": 20,
     "allowed_origins": ["https://docs.example.com"]}
    """#

  @Test func flagsOverrideTheFile() throws {
    let path = try ServeConfigurationTests.configFile(Self.file)
    defer { try? FileManager.default.removeItem(atPath: path) }
    let fromFile = try ProxyCommand.parse(["--config", path]).resolvedConfiguration()
    #expect(fromFile.listen == "0.0.0.0:9100")
    #expect(fromFile.toolScopes == ["publish": "docs:write"])
    #expect(fromFile.toolCallsPerMinuteByTool == ["publish": 5])
    #expect(fromFile.upstreamTimeoutSeconds == 20)
    #expect(fromFile.allowedOrigins == ["https://docs.example.com"])
    let protection = try fromFile.protection()
    #expect(protection.metadataPath == "/.well-known/oauth-protected-resource/mcp")
    #expect(protection.scopePolicy.impliedScopes["docs:write"]?.tokens == ["docs:read"])
    #expect(protection.toolCallLimit == .perMinute(30))

    let flagged = try ProxyCommand.parse([
      "--config", path, "--listen", "127.0.0.1:9200", "--tool-scope", "erase=docs:admin",
      "--tool-calls-per-minute", "0", "--scopes", "docs:read docs:list",
    ]).resolvedConfiguration()
    #expect(flagged.listen == "127.0.0.1:9200")
    #expect(flagged.toolScopes == ["publish": "docs:write", "erase": "docs:admin"])
    #expect(flagged.scopes == "docs:read docs:list")
    #expect(try flagged.protection().toolCallLimit.isUnlimited)
  }

  @Test func flagsAloneAreEnough() throws {
    let configuration = try ProxyCommand.parse([
      "--upstream", "http://127.0.0.1:9000/mcp", "--resource", "http://127.0.0.1:8090/mcp",
      "--issuer", "http://127.0.0.1:8080", "--scopes", "notes:read",
    ]).resolvedConfiguration()
    #expect(configuration.listen == "127.0.0.1:8090")
    #expect(configuration.toolCallsPerMinute == 60)
  }

  @Test(arguments: [
    ["--upstream", "https://127.0.0.1:9000/mcp"],
    ["--upstream", "http://127.0.0.1:9000/mcp?x=1"],
    ["--resource", "mcp.example.com/mcp"],
    ["--issuer", "http://auth.example.com"],
    ["--listen", "8090"],
    ["--tool-scope", "publish"],
    ["--tool-calls-per-minute", "-1"],
    ["--scopes", "bad\"scope"],
    ["--log-format", "xml"],
    ["--allowed-origin", "not an origin"],
  ])
  func invalidSettingsAreRefusedBeforeStarting(override: [String]) throws {
    var arguments = [
      "--upstream", "http://127.0.0.1:9000/mcp", "--resource", "https://mcp.example.com/mcp",
      "--issuer", "https://auth.example.com",
    ]
    arguments += override
    #expect(throws: (any Error).self) {
      _ = try ProxyCommand.parse(arguments).resolvedConfiguration()
    }
  }

  @Test func missingUpstreamIsAUsageErrorWithExitCode64() async throws {
    let console = BufferConsole()
    let code = await LatchkeyCLI.run(
      ["proxy", "--resource", "https://mcp.example.com/mcp", "--issuer", "https://a.example"],
      context: CommandContext(console: console, environment: [:]))
    #expect(code == 64)
    #expect(console.state.withLock { $0.err }.contains("upstream must be an http:// URL"))
  }
}

@Suite("proxy: verifier choice")
struct ProxyVerifierTests {
  static var base: ProxyConfiguration {
    ProxyConfiguration(
      upstream: "http://127.0.0.1:9000/mcp", resource: "https://mcp.example.com/mcp",
      issuer: "https://auth.example.com")
  }

  @Test func jwtByDefaultIntrospectionWhenConfigured() throws {
    let logger = Logger(label: "test")
    let offline = try #require(
      try ProxyVerifier.make(Self.base, environment: [:], logger: logger)
        as? MixedAccessTokenVerifier)
    #expect(offline.jwt is JWTAccessTokenVerifier)
    #expect(offline.apiKeys == nil)
    var configuration = Self.base
    configuration.introspection = .init(
      endpoint: "https://auth.example.com/introspect", clientID: "rs")
    #expect(throws: (any Error).self) {
      _ = try ProxyVerifier.make(configuration, environment: [:], logger: logger)
    }
    let verifier = try #require(
      try ProxyVerifier.make(
        configuration, environment: [ProxyVerifier.secretVariable: "s"], logger: logger)
        as? MixedAccessTokenVerifier)
    #expect(verifier.jwt is IntrospectionAccessTokenVerifier)
    #expect(verifier.apiKeys is IntrospectionAccessTokenVerifier)
  }

  /// The proxy's tool-call audit lines follow `log_format` like its other lines (they used to go
  /// to swift-log's default console handler whatever the format).
  @Test(arguments: [(LogFormat.json, true), (.text, false)])
  func auditLinesUseTheConfiguredFormat(format: LogFormat, json: Bool) {
    let sink = ProxyCommand.auditSink(format: format)
    #expect((sink.logger.handler is JSONLogHandler) == json)
    #expect((sink.logger.handler is TextLogHandler) == !json)
    #expect(sink.logger.label == "latchkey.mcp.audit")
    #expect(sink.logger.logLevel == .info)
  }
}
