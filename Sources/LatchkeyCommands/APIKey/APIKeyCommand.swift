import ArgumentParser

/// `latchkey apikey …`: API keys (personal access tokens and service keys) for MCP clients that
/// can only send a fixed `Authorization: Bearer` header (docs/machine-clients.md).
struct APIKeyCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "apikey", abstract: "Create, list, revoke and rotate API keys.",
    discussion: """
      A key acts as a user (--user) or as a client (--client) at one resource, with fixed \
      scopes, until it expires. It is printed once; only its SHA-256 is stored. Resource \
      servers check keys by introspection and cache the answer (30 s by default), so a \
      revocation takes effect within that time.
      """,
    subcommands: [
      APIKeyCreateCommand.self, APIKeyListCommand.self, APIKeyRevokeCommand.self,
      APIKeyRotateCommand.self,
    ])
}
