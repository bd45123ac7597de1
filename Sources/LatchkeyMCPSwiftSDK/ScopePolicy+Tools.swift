public import LatchkeyMCP
public import MCP

extension ScopePolicy {
  /// Opt-in annotation-derived scopes for swift-sdk tools: `readOnlyHint == true` →
  /// `readScope`, otherwise `writeScope`; tools with explicit scopes keep them.
  public mutating func deriveToolScopes(from tools: [Tool], readScope: String, writeScope: String) {
    var hints: [String: Bool?] = [:]
    for tool in tools { hints[tool.name] = .some(tool.annotations.readOnlyHint) }
    deriveToolScopes(readOnlyHints: hints, readScope: readScope, writeScope: writeScope)
  }
}
