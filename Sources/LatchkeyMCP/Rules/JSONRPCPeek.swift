/// Reads just enough of a JSON-RPC body to decide on scopes, before the MCP server sees it.
public enum JSONRPCPeek {
  /// The outcome of peeking at a POST body.
  public enum Result: Sendable, Equatable {
    /// One entry per message (a single message or each element of a batch).
    case calls([JSONRPCCall])
    /// Not JSON at all (JSON-RPC 2.0 §5.1 `-32700`).
    case parseError
    /// JSON, but not a JSON-RPC message or non-empty batch of them (§5.1 `-32600`).
    case invalidRequest
  }

  /// JSON-RPC 2.0 §4/§6: a body is one message object or a non-empty array of them. Batches
  /// are judged as a whole so one forbidden call cannot hide among allowed ones. One pass over
  /// the bytes (`JSONRPCScanner`): the whole text is validated as RFC 8259 JSON, no document
  /// tree is built, and a message naming `method`, `params` or `params.name` twice is invalid.
  public static func peek(_ body: some Collection<UInt8>) -> Result {
    JSONRPCScanner.peek(Array(body))
  }
}
