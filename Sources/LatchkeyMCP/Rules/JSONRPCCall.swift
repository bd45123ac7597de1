/// One JSON-RPC message of a request body, reduced to what the scope policy and the request
/// metadata header check need.
public struct JSONRPCCall: Sendable, Equatable {
  /// The MCP methods whose target is mirrored into `Mcp-Name` (2026-07-28 Streamable HTTP
  /// "Standard Request Headers"): `params.name` for tools and prompts, `params.uri` for
  /// resources.
  public static let namedMethods: Set<String> = ["tools/call", "prompts/get", "resources/read"]

  /// `method`, or nil for a response the client sends back (JSON-RPC 2.0 §5).
  public var method: String?
  /// `params.name` (`tools/call`, `prompts/get`) or `params.uri` (`resources/read`).
  public var name: String?
  /// `params._meta["io.modelcontextprotocol/protocolVersion"]` (2026-07-28), when present.
  public var protocolVersion: String?
  /// The `id` as JSON text, nil for notifications and responses.
  public var id: JSONRPCID?

  /// Creates a call; `JSONRPCPeek` builds these from a request body. `toolName` is the
  /// `tools/call` spelling of `name`.
  public init(
    method: String?, toolName: String? = nil, id: JSONRPCID? = nil, name: String? = nil,
    protocolVersion: String? = nil
  ) {
    self.method = method
    self.name = name ?? toolName
    self.protocolVersion = protocolVersion
    self.id = id
  }

  /// Whether this is a `tools/call` request (the MCP method that rate limits and audit count).
  public var isToolCall: Bool { method == "tools/call" }

  /// `params.name` of a `tools/call` request.
  public var toolName: String? { isToolCall ? name : nil }

  /// Whether the method's target belongs in `Mcp-Name`.
  public var hasNamedTarget: Bool { method.map(Self.namedMethods.contains) ?? false }
}
