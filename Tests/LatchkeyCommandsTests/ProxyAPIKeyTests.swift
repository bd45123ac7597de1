import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LatchkeyCore
import LatchkeyJOSE
import LatchkeyMCP
import LatchkeyProxy
import LatchkeyTestSupport
import Logging
import NIOCore
import Synchronization
import Testing

@testable import LatchkeyCommands

/// `latchkey proxy` with API keys (issue 25 §2): the proxy's own verifier (`ProxyVerifier`)
/// against the real authorization server of `latchkey demo`, over real sockets, in front of an
/// upstream that answers every POST.
@Suite("proxy: API keys")
struct ProxyAPIKeyTests {
  static var logger: Logger {
    var logger = Logger(label: "latchkey.proxy.apikey.test")
    logger.logLevel = .critical
    return logger
  }

  /// The demo (AS with the demo user), a confidential client `proxy-rs` for introspection, a
  /// key for the demo user at the proxy's resource, an upstream, and the proxy configured by
  /// `configure`; passes the proxy URL, the key, its record and the upstream's hit counter.
  static func withStack(
    introspection: Bool,
    _ body: @escaping @Sendable (String, String, APIKey, UpstreamRequests) async throws -> Void
  ) async throws {
    let directory = FileManager.default.temporaryDirectory
      .appendingPathComponent("latchkey-proxy-apikey-\(UUID().uuidString)").path
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let runtime = try await DemoRuntime.start(
      DemoOptions(
        password: "demo password 1234", port: 0, mcpPort: 0, dataDirectory: directory,
        passwordHashLogN: 4),
      logger: logger)
    do {
      let secret = SecureRandom.token()
      let resource = "https://mcp.example/mcp"
      try await runtime.store.insertClient(
        Client(
          id: "proxy-rs", name: "proxy", origin: .preregistered, redirectURIs: [],
          grantTypes: [], tokenEndpointAuthMethod: .clientSecretBasic, applicationType: .web,
          secretHash: SecretHash.of(secret), createdAt: Date()))
      let user = try #require(try await runtime.store.user(username: "demo"))
      let (key, id) = APIKeyFormat.generate()
      LeakScan.record([key, secret])
      let record = APIKey(
        id: id, keyHash: SecretHash.of(key), name: "proxy check", owner: .user(user.id),
        resource: resource, scopes: ScopeSet(["notes:read"]), createdAt: Date(),
        expiresAt: Date().addingTimeInterval(3600))
      try await runtime.store.insertAPIKey(record)

      let seen = UpstreamRequests()
      let router = Router()
      router.on("/mcp", method: .post) { request, _ -> Response in
        seen.headers.withLock { $0.append(request.headers) }
        return Response(
          status: .ok, headers: [.contentType: "application/json"],
          body: .init(byteBuffer: ByteBuffer(string: #"{"jsonrpc":"2.0","id":1,"result":{}}"#)))
      }
      try await Application(
        router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0))
      )
      .test(.live) { upstream in
        var configuration = ProxyConfiguration(
          upstream: "http://127.0.0.1:\(try #require(upstream.port))/mcp", resource: resource,
          issuer: runtime.issuerURL)
        configuration.listen = "127.0.0.1:0"
        configuration.scopes = "notes:read"
        if introspection {
          configuration.introspection = .init(
            endpoint: runtime.issuerURL + "/introspect", clientID: "proxy-rs", cacheSeconds: 30)
        }
        let verifier = try ProxyVerifier.make(
          configuration, environment: [ProxyVerifier.secretVariable: secret], logger: logger)
        let proxy = try buildProxyApplication(
          configuration: configuration, verifier: verifier,
          auditSink: LoggingToolCallAuditSink(logger: logger), logger: logger)
        try await proxy.test(.live) { client in
          try await body("http://127.0.0.1:\(try #require(client.port))/mcp", key, record, seen)
        }
      }
    } catch {
      try? await runtime.stop()
      throw error
    }
    try await runtime.stop()
  }

  static func call(_ proxyURL: String, key: String) async throws -> TestHTTPResponse {
    try await TestHTTPClient().postJSON(
      proxyURL,
      #"{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"list_notes","arguments":{}}}"#,
      headers: ["Authorization": "Bearer \(key)", "Accept": "application/json, text/event-stream"])
  }

  @Test func aKeyCallsToolsThroughTheProxyWithIntrospection() async throws {
    try await Self.withStack(introspection: true) { proxyURL, key, record, seen in
      let response = try await Self.call(proxyURL, key: key)
      #expect(response.status == 200)
      let headers = try #require(seen.headers.withLock { $0.last })
      #expect(headers[HTTPField.Name("X-Latchkey-Subject")!] == record.owner.userID)
      #expect(headers[.authorization] == nil)
      var typo = Array(key)
      typo[40] = typo[40] == "a" ? "b" : "a"
      let refused = try await Self.call(proxyURL, key: String(typo))
      #expect(refused.status == 401)
      #expect(refused.header("WWW-Authenticate")?.contains(#"error="invalid_token""#) == true)
      #expect(seen.headers.withLock { $0.count } == 1)
    }
  }

  @Test func withoutIntrospectionAKeyIsRefusedWithAClearDescription() async throws {
    try await Self.withStack(introspection: false) { proxyURL, key, _, seen in
      let response = try await Self.call(proxyURL, key: key)
      #expect(response.status == 401)
      let challenge = try #require(response.header("WWW-Authenticate"))
      #expect(
        challenge.hasPrefix(
          #"Bearer error="invalid_token", error_description="API keys need introspection; "#))
      #expect(!response.text.contains(key))
      #expect(seen.headers.withLock { $0.isEmpty })
    }
  }
}

/// The header fields of every request the upstream received.
final class UpstreamRequests: Sendable {
  let headers = Mutex<[HTTPFields]>([])
}
