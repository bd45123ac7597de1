import Foundation
import LatchkeyCommands
import LatchkeyCore
import LatchkeyTestSupport
import Logging
import MCP
import Testing

#if canImport(FoundationNetworking)
  import FoundationNetworking
#endif

/// `latchkey demo` started in-process on free loopback ports with a fresh data directory,
/// a fixed password and cheap scrypt; stopped and removed afterwards.
enum DemoHarness {
  static let username = "demo"
  static let password = "demo password 1234"

  static func options(
    directory: String, toolCallsPerMinute: Int = 60, allowedOrigins: [String] = []
  ) -> DemoOptions {
    DemoOptions(
      username: username, password: password, port: 0, mcpPort: 0, dataDirectory: directory,
      toolCallsPerMinute: toolCallsPerMinute, passwordHashLogN: 4, allowedOrigins: allowedOrigins)
  }

  static func temporaryDirectory() -> String {
    FileManager.default.temporaryDirectory.appendingPathComponent(
      "latchkey-demo-\(UUID().uuidString)"
    ).path
  }

  static var quietLogger: Logger {
    LeakScan.bootstrapLogging()
    LeakScan.record([password])
    var logger = Logger(label: "latchkey.demo.test")
    logger.logLevel = LeakScan.directory == nil ? .error : .debug
    return logger
  }

  static func withDemo(
    toolCallsPerMinute: Int = 60, allowedOrigins: [String] = [],
    _ body: @Sendable (DemoRuntime, String) async throws -> Void
  ) async throws {
    let directory = temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let runtime = try await DemoRuntime.start(
      options(
        directory: directory, toolCallsPerMinute: toolCallsPerMinute,
        allowedOrigins: allowedOrigins),
      logger: quietLogger)
    do {
      try await body(runtime, directory)
    } catch {
      try? await runtime.stop()
      throw error
    }
    try await runtime.stop()
  }

  /// Discovery, registration, login, consent and token, as an MCP client does it.
  static func signIn(
    _ runtime: DemoRuntime, scope: String, client: OAuthTestClient = OAuthTestClient()
  ) async throws -> SignedIn {
    let discovery = try await client.discover(mcpURL: runtime.mcpURL)
    let clientID = try await client.register(discovery)
    let authorization = try await client.authorize(
      discovery, clientID: clientID, scope: scope, username: username, password: password)
    let tokens = try await client.exchange(authorization, discovery: discovery, clientID: clientID)
    return SignedIn(
      client: client, discovery: discovery, clientID: clientID, authorization: authorization,
      tokens: tokens)
  }

  /// The MCP swift-sdk client with the bearer token (JSON replies; the Linux transport cannot
  /// parse SSE).
  static func mcpClient(_ runtime: DemoRuntime, token: String) async throws -> MCP.Client {
    let endpoint = try #require(URL(string: runtime.mcpURL))
    let transport = HTTPClientTransport(
      endpoint: endpoint, streaming: false,
      requestModifier: { request in
        var request = request
        request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
        return request
      })
    let client = MCP.Client(name: "latchkey-demo-e2e", version: "1.0.0")
    _ = try await client.connect(transport: transport)
    return client
  }

  static func text(_ result: (content: [Tool.Content], isError: Bool?)) -> String {
    result.content.compactMap {
      if case .text(let text, _, _) = $0 { return text }
      return nil
    }.joined(separator: "\n")
  }

  /// A `tools/call` over plain HTTP, to see the status and challenge the SDK would hide.
  static func rawToolCall(
    _ runtime: DemoRuntime, token: String, tool: String, session: String? = nil, id: Int = 7
  ) async throws -> TestHTTPResponse {
    var headers = [
      "Authorization": "Bearer \(token)", "Accept": "application/json, text/event-stream",
      "MCP-Protocol-Version": "2025-06-18",
    ]
    if let session { headers["Mcp-Session-Id"] = session }
    return try await TestHTTPClient().postJSON(
      runtime.mcpURL,
      #"{"jsonrpc":"2.0","id":\#(id),"method":"tools/call","params":{"name":"\#(tool)","arguments":{"text":"x"}}}"#,
      headers: headers)
  }

  /// Runs `initialize` over plain HTTP and returns the session id.
  static func rawSession(_ runtime: DemoRuntime, token: String) async throws -> String {
    let response = try await TestHTTPClient().postJSON(
      runtime.mcpURL, OAuthTestClient.initializeRequest,
      headers: [
        "Authorization": "Bearer \(token)", "Accept": "application/json, text/event-stream",
      ])
    #expect(response.status == 200)
    return try #require(response.header("Mcp-Session-Id"))
  }
}

/// A client that went through the whole sign-in.
struct SignedIn: Sendable {
  var client: OAuthTestClient
  var discovery: OAuthDiscovery
  var clientID: String
  var authorization: OAuthAuthorization
  var tokens: OAuthTokens
}
