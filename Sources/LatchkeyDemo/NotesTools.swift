import LatchkeyCore
public import LatchkeyMCP
public import MCP

/// The notes server's tools and the scopes each needs.
public enum NotesTools {
  static let idSchema: Value = .object([
    "type": "object",
    "properties": .object(["id": .object(["type": "integer"])]),
    "required": .array(["id"]),
  ])

  public static let all: [Tool] = [
    Tool(
      name: "list_notes", description: "List your notes.",
      inputSchema: .object(["type": "object"]),
      annotations: .init(readOnlyHint: true)),
    Tool(
      name: "read_note", description: "Read one note by id.", inputSchema: idSchema,
      annotations: .init(readOnlyHint: true)),
    Tool(
      name: "add_note", description: "Add a note.",
      inputSchema: .object([
        "type": "object",
        "properties": .object(["text": .object(["type": "string"])]),
        "required": .array(["text"]),
      ]),
      annotations: .init(readOnlyHint: false)),
    Tool(
      name: "delete_note", description: "Delete one note by id.", inputSchema: idSchema,
      annotations: .init(readOnlyHint: false, destructiveHint: true)),
  ]

  /// Listed only when the server has an upstream token source (``NotesUpstream``): who the
  /// user is at the identity provider they signed in with, asked of the provider with the
  /// provider's own token from Latchkey's token vault (the token is never shown).
  public static let upstreamWhoami = Tool(
    name: "upstream_whoami",
    description:
      "Ask the identity provider you signed in with who you are (its subject, email and "
      + "provider id), with its token from Latchkey's token vault.",
    inputSchema: .object(["type": "object"]),
    annotations: .init(readOnlyHint: true))

  /// `notes:read` to start and for reading tools (`upstream_whoami` among them), `notes:write`
  /// for changing ones (derived from the tools' `readOnlyHint`); write implies read.
  public static func scopePolicy(readScope: String, writeScope: String) -> ScopePolicy {
    var policy = ScopePolicy(
      baseScopes: ScopeSet([readScope]), unlistedToolScopes: ScopeSet([writeScope]),
      impliedScopes: [writeScope: ScopeSet([readScope])])
    policy.deriveToolScopes(
      from: all + [upstreamWhoami], readScope: readScope, writeScope: writeScope)
    return policy
  }
}
