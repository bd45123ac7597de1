import Foundation
import LatchkeyCommands
import LatchkeyCore
import LatchkeyTestSupport
import MCP
import Testing

/// `latchkey demo` end to end with real clients on real sockets: our OAuth client does the
/// MCP authorization dance, the MCP swift-sdk client uses the token.
@Suite("Demo: MCP client flow")
struct DemoFlowTests {
  @Test func discoveryRegistrationLoginConsentTokenThenSDKClientCallsTools() async throws {
    try await DemoHarness.withDemo { runtime, _ in
      let signedIn = try await DemoHarness.signIn(runtime, scope: "notes:read notes:write")
      let discovery = signedIn.discovery
      #expect(discovery.resource == runtime.mcpURL)
      #expect(discovery.issuer == runtime.issuerURL)
      #expect(
        discovery.resourceMetadataURL
          == "http://127.0.0.1:\(runtime.mcpPort)/.well-known/oauth-protected-resource/mcp")
      #expect(discovery.codeChallengeMethods == ["S256"])
      #expect(Set(discovery.scopesSupported) == ["notes:read", "notes:write"])
      #expect(signedIn.authorization.iss == runtime.issuerURL)
      #expect(signedIn.authorization.consentPages.count == 1)
      #expect(signedIn.tokens.tokenType == "Bearer")
      #expect(signedIn.tokens.scope == "notes:read notes:write")

      let client = try await DemoHarness.mcpClient(runtime, token: signedIn.tokens.accessToken)
      let tools = try await client.listTools().tools.map(\.name)
      #expect(tools == ["list_notes", "read_note", "add_note", "delete_note"])
      let added = try await client.callTool(name: "add_note", arguments: ["text": "buy milk"])
      #expect(added.isError != true)
      let listed = try await client.callTool(name: "list_notes")
      #expect(DemoHarness.text(listed) == "1: buy milk")
      await client.disconnect()
    }
  }

  @Test func stepUpFromReadToWriteConsentsOnlyToWriteThenRefreshes() async throws {
    try await DemoHarness.withDemo { runtime, _ in
      let reader = try await DemoHarness.signIn(runtime, scope: "notes:read")
      #expect(reader.tokens.scope == "notes:read")
      let denied = try await DemoHarness.rawToolCall(
        runtime, token: reader.tokens.accessToken, tool: "add_note")
      #expect(denied.status == 403)
      let challenge = try #require(
        denied.header("WWW-Authenticate").flatMap(ChallengeParameters.init))
      #expect(challenge["error"] == "insufficient_scope")
      #expect(
        Set((challenge["scope"] ?? "").split(separator: " ").map(String.init))
          == ["notes:read", "notes:write"])
      #expect(challenge["resource_metadata"] == reader.discovery.resourceMetadataURL)

      let client = reader.client
      let stepUp = try await client.authorize(
        reader.discovery, clientID: reader.clientID, scope: "notes:read notes:write",
        username: DemoHarness.username, password: DemoHarness.password)
      let consent = try #require(stepUp.consentPages.first)
      #expect(stepUp.consentPages.count == 1)
      #expect(consent.contains("Create and change your notes"))
      #expect(!consent.contains("Read your notes"))
      let writer = try await client.exchange(
        stepUp, discovery: reader.discovery, clientID: reader.clientID)
      #expect(writer.scope == "notes:read notes:write")

      let mcp = try await DemoHarness.mcpClient(runtime, token: writer.accessToken)
      let added = try await mcp.callTool(name: "add_note", arguments: ["text": "stepped up"])
      #expect(added.isError != true)
      await mcp.disconnect()

      let refreshed = try await client.refresh(
        try #require(writer.refreshToken), discovery: reader.discovery,
        clientID: reader.clientID)
      #expect(refreshed.refreshToken != writer.refreshToken)
      let again = try await DemoHarness.rawToolCall(
        runtime, token: refreshed.accessToken, tool: "add_note")
      #expect(again.status != 403 && again.status != 401)
    }
  }

  @Test func restartOnTheSameDataDirectoryKeepsClientGrantAndKeys() async throws {
    let directory = DemoHarness.temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let first = try await DemoRuntime.start(
      DemoHarness.options(directory: directory), logger: DemoHarness.quietLogger)
    let signedIn: SignedIn
    do {
      signedIn = try await DemoHarness.signIn(first, scope: "notes:read notes:write")
    } catch {
      try? await first.stop()
      throw error
    }
    try await first.stop()

    var options = DemoHarness.options(directory: directory)
    options.port = first.port
    options.mcpPort = first.mcpPort
    let second = try await DemoRuntime.start(options, logger: DemoHarness.quietLogger)
    do {
      #expect(second.issuerURL == first.issuerURL)
      // The access token from before the restart still verifies: the key was kept.
      let client = try await DemoHarness.mcpClient(second, token: signedIn.tokens.accessToken)
      #expect(try await client.listTools().tools.count == 4)
      await client.disconnect()
      // The client and its grant survived: the old refresh token still works.
      let refreshed = try await signedIn.client.refresh(
        try #require(signedIn.tokens.refreshToken), discovery: signedIn.discovery,
        clientID: signedIn.clientID)
      #expect(refreshed.scope == "notes:read notes:write")
      let after = try await DemoHarness.mcpClient(second, token: refreshed.accessToken)
      let added = try await after.callTool(name: "add_note", arguments: ["text": "after"])
      #expect(added.isError != true)
      await after.disconnect()
    } catch {
      try? await second.stop()
      throw error
    }
    try await second.stop()
  }
}
