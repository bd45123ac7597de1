import ArgumentParser
import Foundation
import Hummingbird
import LatchkeyCore
import LatchkeyMCP
import LatchkeyProxy
import Logging

/// `latchkey proxy`: protects a non-Swift MCP server. Runs the LatchkeyMCP middleware on
/// `--listen` and forwards allowed requests to `--upstream` with the verified identity in
/// `X-Latchkey-*` fields (docs/embedding.md). Flags override the `--config` file.
struct ProxyCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "proxy",
    abstract: "Protect an MCP server written in any language: verify tokens, then forward.",
    discussion: """
      Requests to the resource's path need a valid access token; allowed ones are forwarded \
      to --upstream without the Authorization header and with X-Latchkey-Subject, \
      X-Latchkey-Client-Id, X-Latchkey-Scopes, X-Latchkey-Token-Id and X-Latchkey-Issuer. \
      Responses, including SSE streams, are relayed as they arrive. Stop with SIGINT/SIGTERM.
      """)

  @Option(name: .long, help: "JSON configuration file (docs/embedding.md).")
  var config: String?

  @Option(name: .long, help: "host:port to listen on (default 127.0.0.1:8090).")
  var listen: String?

  @Option(name: .long, help: "Upstream MCP endpoint, plain http, e.g. http://127.0.0.1:9000/mcp.")
  var upstream: String?

  @Option(name: .long, help: "Public MCP endpoint URL that tokens name in aud.")
  var resource: String?

  @Option(name: .long, help: "Authorization server issuer URL.")
  var issuer: String?

  @Option(name: .long, help: "Base scopes every request needs, space-separated.")
  var scopes: String?

  @Option(
    name: .customLong("tool-scope"), parsing: .singleValue,
    help: "tool=scopes for tools/call of that tool (repeatable).")
  var toolScope: [String] = []

  @Option(
    name: .customLong("unlisted-tool-scopes"),
    help: "Scopes for tools/call of a tool without --tool-scope.")
  var unlistedToolScopes: String?

  @Option(
    name: .customLong("tool-calls-per-minute"),
    help: "tools/call per minute per client and user (0 turns the limit off; default 60).")
  var toolCallsPerMinute: Int?

  @Option(name: .customLong("jwks-uri"), help: "Issuer JWKS URL (default: from its metadata).")
  var jwksURI: String?

  @Option(
    name: .customLong("introspection-endpoint"),
    help: "Use RFC 7662 introspection at this URL instead of offline JWT verification.")
  var introspectionEndpoint: String?

  @Option(
    name: .customLong("introspection-client-id"),
    help: "Client id for introspection; the secret comes from LATCHKEY_PROXY_CLIENT_SECRET.")
  var introspectionClientID: String?

  @Option(
    name: .customLong("allowed-origin"), parsing: .singleValue,
    help: "A browser origin allowed besides the resource's own (repeatable).")
  var allowedOrigin: [String] = []

  @Option(
    name: .customLong("upstream-token-client-id"),
    help:
      "Send the user's identity-provider token upstream in X-Latchkey-Upstream-Token, read from the issuer's /upstream-token as this client (secret: LATCHKEY_PROXY_CLIENT_SECRET)."
  )
  var upstreamTokenClientID: String?

  @Option(name: .customLong("log-format"), help: "Log format: text or json (JSON lines).")
  var logFormat: String?

  func run() async throws {
    let context = CommandContext.current
    let configuration = try resolvedConfiguration()
    var logger = ServeCommand.logger(format: configuration.logFormat)
    logger.logLevel = .info
    let verifier = try ProxyVerifier.make(
      configuration, environment: context.environment, logger: logger)
    let app = try buildProxyApplication(
      configuration: configuration, verifier: verifier,
      auditSink: Self.auditSink(format: configuration.logFormat), logger: logger,
      upstreamTokens: try ProxyVerifier.upstreamTokens(
        configuration, environment: context.environment), releasesFilePages: true)
    logger.info(
      "latchkey proxy",
      metadata: [
        "listen": "\(configuration.listen)", "upstream": "\(configuration.upstream)",
        "resource": "\(configuration.resource)", "issuer": "\(configuration.issuer)",
      ])
    try await app.runService()
  }

  /// The file (when given) with every flag applied over it, validated.
  func resolvedConfiguration() throws -> ProxyConfiguration {
    var configuration: ProxyConfiguration
    if let config {
      do {
        configuration = try ProxyConfiguration.load(path: config)
      } catch {
        throw ValidationError(error.description)
      }
    } else {
      configuration = ProxyConfiguration(upstream: "", resource: "", issuer: "")
    }
    if let listen { configuration.listen = listen }
    if let upstream { configuration.upstream = upstream }
    if let resource { configuration.resource = resource }
    if let issuer { configuration.issuer = issuer }
    if let scopes { configuration.scopes = scopes }
    for entry in toolScope {
      let parts = entry.split(separator: "=", maxSplits: 1)
      guard parts.count == 2, !parts[0].isEmpty else {
        throw ValidationError("--tool-scope takes tool=scopes, got \(entry)")
      }
      configuration.toolScopes[String(parts[0])] = String(parts[1])
    }
    if let unlistedToolScopes { configuration.unlistedToolScopes = unlistedToolScopes }
    if let toolCallsPerMinute { configuration.toolCallsPerMinute = toolCallsPerMinute }
    if let jwksURI { configuration.jwksURI = jwksURI }
    if let logFormat { configuration.logFormat = try ConfigurationSource.logFormat(logFormat) }
    configuration.allowedOrigins += allowedOrigin
    if let introspectionEndpoint {
      configuration.introspection = .init(
        endpoint: introspectionEndpoint,
        clientID: introspectionClientID ?? configuration.introspection?.clientID ?? "")
    } else if let introspectionClientID {
      configuration.introspection?.clientID = introspectionClientID
    }
    if let upstreamTokenClientID {
      configuration.upstreamToken = .init(
        clientID: upstreamTokenClientID, endpoint: configuration.upstreamToken?.endpoint)
    }
    if let problem = configuration.problem() { throw ValidationError(problem) }
    if let problem = IssuerRule.validate(configuration.issuer) { throw ValidationError(problem) }
    return configuration
  }

  /// The tool-call audit lines, in the same handler and format (`log_format`) as every other
  /// line of the proxy.
  static func auditSink(format: LogFormat) -> LoggingToolCallAuditSink {
    var logger = ServeCommand.logger(format: format, label: "latchkey.mcp.audit")
    logger.logLevel = .info
    return LoggingToolCallAuditSink(logger: logger)
  }
}
