import ArgumentParser

/// `latchkey token …`: act on one token given on stdin (never as an argument).
struct TokenCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "token", abstract: "Revoke or inspect one token read from stdin.",
    subcommands: [TokenRevokeCommand.self, TokenInspectCommand.self])
}
