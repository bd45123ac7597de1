import ArgumentParser
import LatchkeyCore

/// `latchkey resource remove URL`.
struct ResourceRemoveCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "remove", abstract: "Delete a protected resource.")

  @OptionGroup var store: StoreOptions

  @Argument(help: "The resource URL.")
  var url: String

  @Flag(name: .long, help: "Do not ask for confirmation.")
  var yes = false

  func run() async throws {
    try await store.withSession { session in
      _ = try await ResourceRendering.existing(url, in: session)
      try session.confirm(
        "Delete the resource \(url)? No new tokens can be issued for it.", yes: yes)
      try await session.store.deleteResource(url: url)
      try await session.audit("cli.resource.removed", resource: url)
      session.console.write(
        [
          "removed resource \(url); \(session.accessTokenNote)",
          ResourceInput.configurationNote(url, in: session),
        ].compactMap { $0 }.joined(separator: "\n"))
    }
  }
}
