/// One JSON-RPC message of a request body, reduced to what the scope policy needs.
public struct JSONRPCCall: Sendable, Equatable {
  /// `method`, or nil for a response the client sends back (JSON-RPC 2.0 §5).
  public var method: String?
  /// `params.name` of a `tools/call` request.
  public var toolName: String?
  /// The `id` as JSON text, nil for notifications and responses.
  public var id: JSONRPCID?

  /// Creates a call; `JSONRPCPeek` builds these from a request body.
  public init(method: String?, toolName: String? = nil, id: JSONRPCID? = nil) {
    self.method = method
    self.toolName = toolName
    self.id = id
  }

  /// Whether this is a `tools/call` request (the MCP method that rate limits and audit count).
  public var isToolCall: Bool { method == "tools/call" }
}
