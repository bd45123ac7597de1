import Foundation
import HTTPTypes
import HummingbirdTesting
import LatchkeyMCP
import Testing

/// MCP 2026-07-28 Streamable HTTP "Server Validation": `Mcp-Method`/`Mcp-Name` must match the
/// body the middleware authorizes, or the request is refused before the handler runs.
@Suite struct RequestMetadataHeaderTests {
  typealias Headers = RequestMetadataHeaders

  static func fields(version: String? = nil, method: String? = nil, name: String? = nil)
    -> HTTPFields
  {
    var fields = HTTPFields()
    if let version { fields[Headers.protocolVersionField] = version }
    if let method { fields[Headers.methodField] = method }
    if let name { fields[Headers.nameField] = name }
    return fields
  }

  static let addNote = JSONRPCCall(method: "tools/call", id: .number(1), name: "add_note")

  @Test func matchingHeadersAndBase64SentinelPass() {
    let plain = Self.fields(version: "2026-07-28", method: "tools/call", name: "add_note")
    #expect(Headers.validate(plain, calls: [Self.addNote]) == nil)
    let encoded = "=?base64?" + Data("add_note".utf8).base64EncodedString() + "?="
    let sentinel = Self.fields(version: "2026-07-28", method: "tools/call", name: encoded)
    #expect(Headers.validate(sentinel, calls: [Self.addNote]) == nil)
    let unicode = JSONRPCCall(method: "prompts/get", id: .number(2), name: "Grüße")
    let unicodeName = "=?base64?" + Data("Grüße".utf8).base64EncodedString() + "?="
    #expect(
      Headers.validate(
        Self.fields(version: "2026-07-28", method: "prompts/get", name: unicodeName),
        calls: [unicode]) == nil)
  }

  @Test func mismatchedMethodNameOrVersionIsRejected() {
    #expect(
      Headers.validate(Self.fields(method: "tools/list"), calls: [Self.addNote])
        == .differs("Mcp-Method"))
    #expect(
      Headers.validate(Self.fields(method: "tools/call", name: "list_notes"), calls: [Self.addNote])
        == .differs("Mcp-Name"))
    let read = JSONRPCCall(method: "resources/read", id: .number(3), name: "notes://1")
    #expect(
      Headers.validate(Self.fields(method: "resources/read", name: "notes://2"), calls: [read])
        == .differs("Mcp-Name"))
    let versioned = JSONRPCCall(
      method: "tools/list", id: .number(4), protocolVersion: "2026-07-28")
    #expect(
      Headers.validate(Self.fields(version: "2025-11-25"), calls: [versioned])
        == .differs("MCP-Protocol-Version"))
    let nameless = JSONRPCCall(method: "tools/call", id: .number(5))
    #expect(
      Headers.validate(Self.fields(method: "tools/call", name: "add_note"), calls: [nameless])
        == .differs("Mcp-Name"))
    #expect(
      Headers.validate(Self.fields(name: "=?base64?***?="), calls: [Self.addNote])
        == .malformed("Mcp-Name"))
  }

  @Test func headersRequiredFrom20260728OnlyForRequests() {
    #expect(
      Headers.validate(Self.fields(version: "2026-07-28"), calls: [Self.addNote])
        == .missing("Mcp-Method"))
    #expect(
      Headers.validate(
        Self.fields(version: "2026-07-28", method: "tools/call"), calls: [Self.addNote])
        == .missing("Mcp-Name"))
    #expect(Headers.validate(Self.fields(version: "2025-11-25"), calls: [Self.addNote]) == nil)
    #expect(Headers.validate(HTTPFields(), calls: [Self.addNote]) == nil)
    let notification = JSONRPCCall(method: "notifications/initialized")
    #expect(Headers.validate(Self.fields(version: "2026-07-28"), calls: [notification]) == nil)
    let list = JSONRPCCall(method: "tools/list", id: .number(6))
    #expect(
      Headers.validate(Self.fields(version: "2026-07-28", method: "tools/list"), calls: [list])
        == nil)
  }

  @Test func peekReadsTargetsAndBodyProtocolVersion() {
    let body =
      #"{"jsonrpc":"2.0","id":1,"method":"resources/read","params":{"uri":"notes://1","#
      + #""_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28"}}}"#
    #expect(
      JSONRPCPeek.peek(Array(body.utf8))
        == .calls([
          JSONRPCCall(
            method: "resources/read", id: .number(1), name: "notes://1",
            protocolVersion: "2026-07-28")
        ]))
  }

  @Test func headerSteeringAReadOnlyToolIntoAWriteIsRefused() async throws {
    let harness = try MiddlewareHarness()
    let token = try harness.issuer.token(scope: "notes:read notes:write")
    try await harness.test { client in
      let steered = try await client.send(
        authorization: "Bearer \(token)", body: MiddlewareHarness.toolCall("delete_note", id: 7),
        headers: Self.fields(version: "2026-07-28", method: "tools/call", name: "list_notes"))
      #expect(steered.status == .badRequest)
      #expect(steered.headers[.contentType] == "application/json")
      let body = String(buffer: steered.body)
      #expect(body.contains(#""code":-32020"#))
      #expect(body.contains(#""id":7"#))
      #expect(body.contains("Mcp-Name does not match the request body"))
      #expect(!body.contains("list_notes"))
      let missing = try await client.send(
        authorization: "Bearer \(token)", body: MiddlewareHarness.toolCall("list_notes"),
        headers: Self.fields(version: "2026-07-28"))
      #expect(missing.status == .badRequest)
      #expect(String(buffer: missing.body).contains("required header Mcp-Method is missing"))
      let matching = try await client.send(
        authorization: "Bearer \(token)", body: MiddlewareHarness.toolCall("list_notes"),
        headers: Self.fields(version: "2026-07-28", method: "tools/call", name: "list_notes"))
      #expect(matching.status == .ok)
    }
    #expect(harness.runs.count == 1)
    #expect(harness.audit.all.map(\.tool) == ["list_notes"])
  }
}
