import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LatchkeyMCP
import LatchkeyMCPSwiftSDK
import MCP
import NIOCore
import Testing

/// Sessions nobody uses end after `sessionIdleTimeout`: a client that never sends DELETE
/// (most do not) no longer holds a slot, or the SDK transport's event history, forever.
@Suite struct SessionExpiryTests {
  static let sessionHeader = HTTPField.Name("Mcp-Session-Id")!

  static func application(_ endpoint: MCPStreamableHTTPEndpoint) -> some ApplicationProtocol {
    let router = Router(context: MCPAuthContext.self)
    for method in [HTTPRequest.Method.post, .get, .delete] {
      router.on("/mcp", method: method) { request, _ in
        try await endpoint.handle(request, identity: nil)
      }
    }
    return Application(router: router)
  }

  static func post(
    _ client: some TestClientProtocol, _ json: String, session: String? = nil
  ) async throws -> TestResponse {
    var headers: HTTPFields = [
      .contentType: "application/json", .accept: "application/json, text/event-stream",
      HTTPField.Name("MCP-Protocol-Version")!: "2025-06-18",
    ]
    if let session { headers[sessionHeader] = session }
    return try await client.execute(
      uri: "/mcp", method: .post, headers: headers, body: ByteBuffer(string: json))
  }

  static let initialize =
    #"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}"#
  static let ping = #"{"jsonrpc":"2.0","id":2,"method":"ping"}"#

  @Test func anIdleSessionEndsAndFreesItsSlotAndAnActiveOneStays() async throws {
    let endpoint = MCPStreamableHTTPEndpoint(
      // Three seconds: the pings 300 ms apart must stay within it even when a loaded CI
      // machine stalls the test for a second.
      originValidator: .disabled, maximumSessions: 1, sessionIdleTimeout: .seconds(3)
    ) {
      Server(name: "expiry", version: "1", capabilities: .init(tools: .init(listChanged: false)))
    }
    try await Self.application(endpoint).test(.live) { client in
      let first = try await Self.post(client, Self.initialize)
      #expect(first.status == .ok)
      let firstID = try #require(first.headers[Self.sessionHeader])
      // The only slot is taken.
      #expect(try await Self.post(client, Self.initialize).status == .serviceUnavailable)
      // Used within the timeout, the session stays.
      for _ in 0..<3 {
        try await Task.sleep(for: .milliseconds(300))
        #expect(try await Self.post(client, Self.ping, session: firstID).status == .ok)
      }
      #expect(endpoint.sessionCount == 1)
      // Idle past the timeout: a new client gets the slot, the old session is gone.
      try await Task.sleep(for: .milliseconds(3_300))
      let second = try await Self.post(client, Self.initialize)
      #expect(second.status == .ok)
      #expect(endpoint.sessionCount == 1)
      #expect(try await Self.post(client, Self.ping, session: firstID).status == .notFound)
      let secondID = try #require(second.headers[Self.sessionHeader])
      #expect(secondID != firstID)
      #expect(try await Self.post(client, Self.ping, session: secondID).status == .ok)
    }
    await endpoint.shutdown()
  }

  @Test func anIdleSessionIsRefusedOnItsOwnNextRequest() async throws {
    let endpoint = MCPStreamableHTTPEndpoint(
      originValidator: .disabled, sessionIdleTimeout: .milliseconds(100)
    ) {
      Server(name: "expiry", version: "1", capabilities: .init(tools: .init(listChanged: false)))
    }
    try await Self.application(endpoint).test(.live) { client in
      let first = try await Self.post(client, Self.initialize)
      let id = try #require(first.headers[Self.sessionHeader])
      try await Task.sleep(for: .milliseconds(250))
      let late = try await Self.post(client, Self.ping, session: id)
      #expect(late.status == .notFound)
      #expect(String(buffer: late.body).contains("Session not found"))
      #expect(endpoint.sessionCount == 0)
    }
  }
}
