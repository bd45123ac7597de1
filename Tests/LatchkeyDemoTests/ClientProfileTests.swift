import Foundation
import LatchkeyTestSupport
import Testing

/// Issue 24 §6: every client profile signs in against `latchkey demo` over real sockets, the
/// way that client does it, and calls a tool; then refreshes and calls again.
@Suite("Client profiles against latchkey demo")
struct ClientProfileTests {
  @Test(arguments: ClientProfile.all)
  func signsInRefreshesAndCallsATool(profile: ClientProfile) async throws {
    try await DemoHarness.withDemo { runtime, _ in
      let http = TestHTTPClient()
      let client = OAuthTestClient(http: http, redirectURI: profile.redirectURI)
      let discovery = try await client.discover(mcpURL: runtime.mcpURL)
      #expect(discovery.issuer == runtime.issuerURL)
      #expect(discovery.codeChallengeMethods == ["S256"])
      if let origin = profile.origin {
        // A browser-based client reads the metadata and registers cross-origin.
        let metadata = try await http.get(
          discovery.issuer + "/.well-known/oauth-authorization-server",
          headers: ["Origin": origin, "MCP-Protocol-Version": "2025-06-18"])
        #expect(metadata.header("Access-Control-Allow-Origin") == "*")
        let prm = try await http.get(discovery.resourceMetadataURL, headers: ["Origin": origin])
        #expect(prm.header("Access-Control-Allow-Origin") == origin)
      }
      let registered = try await client.register(discovery, json: profile.registration)
      let authentication = try profile.authentication(secret: registered.clientSecret)
      let authorization = try await client.authorize(
        discovery, clientID: registered.clientID,
        scope: profile.scope ?? discovery.challengeScope ?? "",
        sendsResource: profile.sendsResource,
        prompt: profile.prompt, username: DemoHarness.username, password: DemoHarness.password)
      #expect(authorization.iss == runtime.issuerURL, "RFC 9207 iss")
      let tokens = try await client.exchange(
        authorization, discovery: discovery, clientID: registered.clientID,
        sendsResource: profile.sendsResource, authentication: authentication)
      #expect(tokens.tokenType == "Bearer")
      let granted = Set((tokens.scope ?? "").split(separator: " ").map(String.init))
      #expect(granted.contains("notes:read"), "granted \(tokens.scope ?? "-")")
      #expect(!granted.contains("offline_access") && !granted.contains("openid"))
      let session = try await DemoHarness.rawSession(runtime, token: tokens.accessToken)
      let call = try await DemoHarness.rawToolCall(
        runtime, token: tokens.accessToken, tool: "list_notes", session: session)
      #expect(call.status == 200, "\(call.text)")
      let refreshToken = try #require(tokens.refreshToken, "clients registered for refresh")
      let refreshed = try await client.refresh(
        refreshToken, discovery: discovery, clientID: registered.clientID,
        sendsResource: profile.sendsResource, authentication: authentication)
      #expect(refreshed.refreshToken != refreshToken)
      let again = try await DemoHarness.rawToolCall(
        runtime, token: refreshed.accessToken, tool: "list_notes", session: session)
      #expect(again.status == 200)
    }
  }
}
