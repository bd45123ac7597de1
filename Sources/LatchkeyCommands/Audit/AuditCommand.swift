import ArgumentParser

/// `latchkey audit …`: the audit trail of the server and of the CLI.
struct AuditCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "audit", abstract: "Read and prune the audit trail.",
    subcommands: [AuditTailCommand.self, AuditQueryCommand.self, AuditPruneCommand.self])
}
