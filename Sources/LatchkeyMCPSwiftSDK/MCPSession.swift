import MCP

/// One MCP session: its server, its transport, and the subject it belongs to (RS-25: a
/// session handle is not authentication; it is bound to the token's user).
struct MCPSession: Sendable {
  let server: Server
  let transport: StatefulHTTPServerTransport
  let owner: String?
}
