import ArgumentParser

/// `latchkey grant …`: what users allowed clients to do.
struct GrantCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "grant", abstract: "List and revoke grants (a user's authorization of a client).",
    subcommands: [GrantListCommand.self, GrantRevokeCommand.self])
}
