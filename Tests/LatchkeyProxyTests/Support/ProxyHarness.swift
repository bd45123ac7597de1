import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LatchkeyCore
import LatchkeyFetch
import LatchkeyMCP
import LatchkeyProxy
import Logging
import NIOCore
import Testing

/// The proxy on a loopback port in front of an upstream URL, verifying tokens from a
/// `LiveIssuer` over real sockets.
enum ProxyHarness {
  /// The public URL tokens name; it need not be where the proxy listens.
  static let resource = "https://mcp.example/mcp"

  static var quietLogger: Logger {
    var logger = Logger(label: "latchkey.proxy.test")
    logger.logLevel = .critical
    return logger
  }

  static func configuration(issuer: String, upstream: String) -> ProxyConfiguration {
    var configuration = ProxyConfiguration(
      upstream: upstream, resource: resource, issuer: issuer)
    configuration.listen = "127.0.0.1:0"
    configuration.scopes = "notes:read"
    configuration.toolScopes = ["add_note": "notes:write", "delete_note": "notes:write"]
    configuration.unlistedToolScopes = "notes:write"
    configuration.upstreamTimeoutSeconds = 5
    return configuration
  }

  /// Runs the proxy and passes `http://127.0.0.1:<port>/mcp`.
  static func withProxy(
    _ configuration: ProxyConfiguration, audit: (any ToolCallAuditSink)? = nil,
    upstreamTokens: (any UpstreamTokenSource)? = nil,
    _ body: @escaping @Sendable (_ proxyURL: String) async throws -> Void
  ) async throws {
    let keys = JWKSKeySource(
      issuer: configuration.issuer, fetcher: URLSessionHTTPFetcher(allowPrivateAddresses: true),
      logger: quietLogger)
    let verifier = JWTAccessTokenVerifier(
      issuer: configuration.issuer, resource: configuration.resource, keySource: keys)
    let app = try buildProxyApplication(
      configuration: configuration, verifier: verifier,
      auditSink: audit ?? LoggingToolCallAuditSink(logger: quietLogger), logger: quietLogger,
      upstreamTokens: upstreamTokens)
    try await app.test(.live) { client in
      let port = try #require(client.port)
      try await body("http://127.0.0.1:\(port)/mcp")
    }
  }

  /// Issuer, recording upstream and proxy, all live.
  static func withStack(
    configure: @escaping @Sendable (inout ProxyConfiguration) -> Void = { _ in },
    upstreamTokens: (any UpstreamTokenSource)? = nil,
    _ body: @escaping @Sendable (LiveIssuer, RecordingUpstream, String) async throws -> Void
  ) async throws {
    let issuer = try LiveIssuer()
    let upstream = RecordingUpstream()
    try await issuer.run { issuerURL in
      try await upstream.run { upstreamURL in
        var configuration = Self.configuration(issuer: issuerURL, upstream: upstreamURL)
        configure(&configuration)
        try await withProxy(configuration, upstreamTokens: upstreamTokens) { proxyURL in
          try await body(issuer, upstream, proxyURL)
        }
      }
    }
  }

  static func toolCall(_ tool: String, id: Int = 1) -> String {
    #"{"jsonrpc":"2.0","id":\#(id),"method":"tools/call","params":{"name":"\#(tool)","arguments":{"text":"x"}}}"#
  }
}
