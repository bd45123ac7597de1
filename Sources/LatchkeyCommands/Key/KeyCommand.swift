import ArgumentParser

/// `latchkey key …`: the keys that sign access tokens.
struct KeyCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "key", abstract: "List, rotate and retire token signing keys.",
    discussion: """
      A running server re-reads the keys from the database every 5 seconds, so a rotation \
      takes effect without a restart. TODO: automatic rotation after a configured period.
      """,
    subcommands: [KeyListCommand.self, KeyRotateCommand.self, KeyRetireCommand.self])
}
