public import LatchkeyCore

/// Which scopes a JSON-RPC method (and, for `tools/call`, which tool) requires.
///
/// Every message needs `baseScopes`; a method may add `methodScopes[method]`; `tools/call` adds
/// `toolScopes[name]`, else the annotation-derived scope when the operator opted in
/// (`deriveToolScopes`), else `unlistedToolScopes`.
public struct ScopePolicy: Sendable, Equatable {
  /// Needed by every request, e.g. for `initialize` and `tools/list`, and by GET/DELETE.
  public var baseScopes: ScopeSet
  /// Extra scopes per JSON-RPC method name.
  public var methodScopes: [String: ScopeSet]
  /// Extra scopes per tool name for `tools/call`.
  public var toolScopes: [String: ScopeSet]
  /// Extra scopes for a `tools/call` of a tool not listed above.
  public var unlistedToolScopes: ScopeSet
  /// MCP 2025-11-25 "Step-Up" / RS-13: a held scope implies the listed narrower ones
  /// (e.g. `notes:write` → `notes:read`).
  public var impliedScopes: [String: ScopeSet]

  /// Creates a policy; every argument defaults to "nothing required".
  public init(
    baseScopes: ScopeSet = .empty, methodScopes: [String: ScopeSet] = [:],
    toolScopes: [String: ScopeSet] = [:], unlistedToolScopes: ScopeSet = .empty,
    impliedScopes: [String: ScopeSet] = [:]
  ) {
    self.baseScopes = baseScopes
    self.methodScopes = methodScopes
    self.toolScopes = toolScopes
    self.unlistedToolScopes = unlistedToolScopes
    self.impliedScopes = impliedScopes
  }

  /// The scopes one message needs.
  public func requiredScopes(for call: JSONRPCCall) -> ScopeSet {
    var needed = baseScopes
    guard let method = call.method else { return needed }
    if let extra = methodScopes[method] { needed = Self.union(needed, extra) }
    if call.isToolCall {
      if let name = call.toolName, let tool = toolScopes[name] {
        needed = Self.union(needed, tool)
      } else {
        needed = Self.union(needed, unlistedToolScopes)
      }
    }
    return needed
  }

  /// The scopes a whole batch needs: the union over its messages (a batch is judged whole).
  public func requiredScopes(for calls: [JSONRPCCall]) -> ScopeSet {
    if calls.count == 1 { return requiredScopes(for: calls[0]) }
    return calls.reduce(baseScopes) { Self.union($0, requiredScopes(for: $1)) }
  }

  /// `a ∪ b` without building new sets when one side adds nothing (the per-request path).
  static func union(_ a: ScopeSet, _ b: ScopeSet) -> ScopeSet {
    if b.tokens.allSatisfy(a.contains) { return a }
    if a.tokens.allSatisfy(b.contains) { return b }
    return a.union(b)
  }

  /// Held scopes plus everything they imply, transitively.
  public func effectiveScopes(_ held: ScopeSet) -> ScopeSet {
    var result = Set(held.tokens)
    var pending = held.tokens
    while let scope = pending.popLast() {
      for implied in impliedScopes[scope]?.tokens ?? [] where result.insert(implied).inserted {
        pending.append(implied)
      }
    }
    return ScopeSet(result)
  }

  /// Opt-in: MCP tool annotations decide a tool's scope when none is configured for it —
  /// `readOnlyHint == true` → `readScope`, anything else (absent or false) → `writeScope`.
  /// Explicit `toolScopes` entries win.
  public mutating func deriveToolScopes(
    readOnlyHints: [String: Bool?], readScope: String, writeScope: String
  ) {
    for (tool, readOnly) in readOnlyHints where toolScopes[tool] == nil {
      toolScopes[tool] = ScopeSet([readOnly == true ? readScope : writeScope])
    }
  }
}
