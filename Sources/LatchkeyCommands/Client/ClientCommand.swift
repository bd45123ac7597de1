import ArgumentParser

/// `latchkey client …`: OAuth clients, pre-registered by the operator or registered by
/// themselves (dynamic registration, metadata documents).
struct ClientCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "client", abstract: "Manage OAuth clients.",
    subcommands: [
      ClientAddCommand.self, ClientListCommand.self, ClientShowCommand.self,
      ClientUpdateCommand.self, ClientRotateSecretCommand.self, ClientRemoveCommand.self,
    ])
}
