/// What the middleware did with a `tools/call`.
public enum ToolCallDecision: String, Sendable, Equatable, Codable {
  /// Passed to the MCP server.
  case allowed
  /// Refused for missing scopes (403).
  case denied
  /// Refused by the rate limit (429).
  case limited
}
