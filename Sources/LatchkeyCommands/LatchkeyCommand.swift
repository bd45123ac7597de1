public import ArgumentParser
import LatchkeyCore

/// `latchkey`: the root command. Subcommands live in this library so tests can parse and run
/// them in-process; the executable only calls `LatchkeyCommand.main()`.
public struct LatchkeyCommand: AsyncParsableCommand {
  public static let configuration = CommandConfiguration(
    commandName: "latchkey",
    abstract: "Latchkey: an OAuth 2.1 authorization server for remote MCP servers.",
    version: "0.1.0",
    subcommands: [
      ServeCommand.self, MigrateCommand.self, ClientCommand.self, UserCommand.self,
      ResourceCommand.self, KeyCommand.self, GrantCommand.self, TokenCommand.self,
      AuditCommand.self, DoctorCommand.self, DemoCommand.self, BackupCommand.self,
      ProxyCommand.self, APIKeyCommand.self,
    ])
  public init() {}
}
