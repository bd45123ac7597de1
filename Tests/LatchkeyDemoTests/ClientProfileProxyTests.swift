import Foundation
import Hummingbird
import LatchkeyCore
import LatchkeyDemo
import LatchkeyFetch
import LatchkeyMCP
import LatchkeyProxy
import LatchkeyTestSupport
import Logging
import Testing

@testable import LatchkeyCommands

/// Issue 24 §6 through `latchkey proxy`: every client profile signs in at the demo's
/// authorization server for a resource that `latchkey proxy` protects in front of an
/// unprotected MCP server, and calls a tool through the proxy. The profiles run one after the
/// other (each starts a demo, an upstream and a proxy), and the servers install no signal
/// handlers in the shared test process.
@Suite("Client profiles through latchkey proxy", .serialized)
struct ClientProfileProxyTests {
  @Test(arguments: ClientProfile.all)
  func signsInAndCallsAToolThroughTheProxy(profile: ClientProfile) async throws {
    try await DemoHarness.withDemo { runtime, _ in
      // Ports from the kernel's ephemeral range, which `latchkey demo`'s own picks (20000–32767,
      // FreePort) never use, so a demo starting in a parallel test cannot take them.
      let upstreamPort = try #require(try await FreePort.probe(host: "127.0.0.1", port: 0))
      let proxyPort = try #require(try await FreePort.probe(host: "127.0.0.1", port: 0))
      let upstreamURL = "http://127.0.0.1:\(upstreamPort)/mcp"
      let proxyURL = "http://127.0.0.1:\(proxyPort)/mcp"
      try await runtime.store.upsertResource(DemoResource.configuration(url: proxyURL).resource)
      let upstream = try buildUnprotectedNotesApplication(
        configuration: NotesConfiguration(
          port: upstreamPort, resource: upstreamURL, issuer: runtime.issuerURL),
        logger: DemoHarness.quietLogger)
      var configuration = ProxyConfiguration(
        upstream: upstreamURL, resource: proxyURL, issuer: runtime.issuerURL)
      configuration.listen = "127.0.0.1:\(proxyPort)"
      configuration.scopes = "notes:read"
      configuration.toolScopes = ["add_note": "notes:write", "delete_note": "notes:write"]
      configuration.allowedOrigins = DemoOptions.browserClientOrigins
      let keys = JWKSKeySource(
        issuer: runtime.issuerURL, fetcher: URLSessionHTTPFetcher(allowPrivateAddresses: true),
        logger: DemoHarness.quietLogger)
      let proxy = try buildProxyApplication(
        configuration: configuration,
        verifier: JWTAccessTokenVerifier(
          issuer: runtime.issuerURL, resource: proxyURL, keySource: keys),
        logger: DemoHarness.quietLogger)
      let servers = Task {
        try await withThrowingTaskGroup(of: Void.self) { group in
          group.addTask { try await upstream.runService(gracefulShutdownSignals: []) }
          group.addTask { try await proxy.runService(gracefulShutdownSignals: []) }
          try await group.waitForAll()
        }
      }
      do {
        try await Self.signInThroughTheProxy(profile, proxyURL: proxyURL, proxyPort: proxyPort)
      } catch {
        servers.cancel()
        _ = await servers.result
        throw error
      }
      // Both servers end before the demo does, so none outlives the test.
      servers.cancel()
      _ = await servers.result
    }
  }

  static func signInThroughTheProxy(_ profile: ClientProfile, proxyURL: String, proxyPort: Int)
    async throws
  {
    do {
      let http = TestHTTPClient()
      try await Self.waitUntilServing(
        "http://127.0.0.1:\(proxyPort)/.well-known/oauth-protected-resource/mcp", http)

      let client = OAuthTestClient(http: http, redirectURI: profile.redirectURI)
      let discovery = try await client.discover(mcpURL: proxyURL)
      #expect(discovery.resource == proxyURL)
      let registered = try await client.register(discovery, json: profile.registration)
      let authentication = try profile.authentication(secret: registered.clientSecret)
      let authorization = try await client.authorize(
        discovery, clientID: registered.clientID,
        scope: profile.scope ?? discovery.challengeScope ?? "",
        sendsResource: true, prompt: profile.prompt, username: DemoHarness.username,
        password: DemoHarness.password)
      let tokens = try await client.exchange(
        authorization, discovery: discovery, clientID: registered.clientID,
        authentication: authentication)
      let headers = [
        "Authorization": "Bearer \(tokens.accessToken)",
        "Accept": "application/json, text/event-stream",
      ]
      let initialized = try await http.postJSON(
        proxyURL, OAuthTestClient.initializeRequest, headers: headers)
      #expect(initialized.status == 200, "\(initialized.text)")
      let session = try #require(initialized.header("Mcp-Session-Id"))
      let call = try await http.postJSON(
        proxyURL,
        #"{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"list_notes","arguments":{}}}"#,
        headers: headers.merging(["Mcp-Session-Id": session, "MCP-Protocol-Version": "2025-06-18"])
        { $1 })
      #expect(call.status == 200, "\(call.text)")
      #expect(!call.text.contains("\"isError\":true"))
      // Without the token the proxy answers the challenge; the upstream is never asked.
      let anonymous = try await http.postJSON(proxyURL, OAuthTestClient.initializeRequest)
      #expect(anonymous.status == 401)
    }
  }

  static func waitUntilServing(_ url: String, _ http: TestHTTPClient) async throws {
    for _ in 0..<100 {
      if let response = try? await http.get(url), response.status == 200 { return }
      try await Task.sleep(for: .milliseconds(50))
    }
    Issue.record("\(url) did not answer")
  }
}
