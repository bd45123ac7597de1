import ArgumentParser

/// `latchkey resource …`: the MCP servers tokens can be issued for.
struct ResourceCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "resource", abstract: "Manage protected MCP resources and their scopes.",
    subcommands: [
      ResourceAddCommand.self, ResourceListCommand.self, ResourceUpdateCommand.self,
      ResourceRemoveCommand.self,
    ])
}
