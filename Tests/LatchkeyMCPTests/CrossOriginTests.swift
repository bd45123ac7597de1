import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LatchkeyMCP
import Testing

/// Issue 24 §3 at the resource server: an allow-listed browser origin (the MCP Inspector) gets
/// its preflight answered and CORS headers on every answer (the 401 challenge included); any
/// other origin is still refused (DNS-rebinding protection) and gets no CORS headers.
@Suite struct MCPCrossOriginTests {
  static let inspector = "http://localhost:6274"

  @Test func anAllowedOriginsPreflightIsAnsweredWithoutRunningTheHandler() async throws {
    let harness = try MiddlewareHarness(allowedOrigins: [Self.inspector])
    try await harness.test { client in
      let response = try await client.send(
        .options, origins: [Self.inspector],
        headers: [
          .accessControlRequestMethod: "POST",
          .accessControlRequestHeaders: "authorization, content-type, mcp-protocol-version",
        ])
      #expect(response.status == .noContent)
      #expect(response.headers[.accessControlAllowOrigin] == Self.inspector)
      #expect(response.headers[.vary] == "Origin")
      #expect(response.headers[.accessControlAllowMethods] == CrossOriginRule.endpointMethods)
      let allowed = try #require(response.headers[.accessControlAllowHeaders])
      for name in [
        "Authorization", "Content-Type", "Mcp-Session-Id", "MCP-Protocol-Version", "Last-Event-ID",
        "Mcp-Method", "Mcp-Name",
      ] {
        #expect(allowed.contains(name))
      }
      #expect(response.headers[.accessControlAllowCredentials] == nil)
    }
    #expect(harness.runs.count == 0)
  }

  @Test func everyAnswerToAnAllowedOriginIsReadable() async throws {
    let harness = try MiddlewareHarness(allowedOrigins: [Self.inspector])
    let token = try harness.issuer.token()
    try await harness.test { client in
      let challenge = try await client.send(
        origins: [Self.inspector], body: MiddlewareHarness.initialize)
      #expect(challenge.status == .unauthorized)
      #expect(challenge.headers[.accessControlAllowOrigin] == Self.inspector)
      #expect(
        challenge.headers[.accessControlExposeHeaders]?.contains("WWW-Authenticate") == true)
      let served = try await client.send(
        authorization: "Bearer \(token)", origins: [Self.inspector],
        body: MiddlewareHarness.initialize)
      #expect(served.status == .ok)
      #expect(served.headers[.accessControlAllowOrigin] == Self.inspector)
      #expect(served.headers[.accessControlExposeHeaders]?.contains("Mcp-Session-Id") == true)
      let metadata = try await client.send(
        .get, "/.well-known/oauth-protected-resource/mcp", origins: [Self.inspector])
      #expect(metadata.status == .ok)
      #expect(metadata.headers[.accessControlAllowOrigin] == Self.inspector)
      let metadataPreflight = try await client.send(
        .options, "/.well-known/oauth-protected-resource/mcp", origins: [Self.inspector],
        headers: [.accessControlRequestMethod: "GET"])
      #expect(metadataPreflight.status == .noContent)
      #expect(metadataPreflight.headers[.accessControlAllowOrigin] == Self.inspector)
    }
  }

  @Test func anOriginNotAllowedIsStillRefusedAndGetsNoCORS() async throws {
    let harness = try MiddlewareHarness()
    try await harness.test { client in
      let preflight = try await client.send(
        .options, origins: [Self.inspector], headers: [.accessControlRequestMethod: "POST"])
      #expect(preflight.status == .forbidden)
      #expect(preflight.headers[.accessControlAllowOrigin] == nil)
      let metadata = try await client.send(
        .get, "/.well-known/oauth-protected-resource/mcp", origins: [Self.inspector])
      #expect(metadata.status == .ok)
      #expect(metadata.headers[.accessControlAllowOrigin] == nil)
    }
    #expect(harness.runs.count == 0)
  }
}
