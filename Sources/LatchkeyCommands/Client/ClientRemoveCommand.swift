import ArgumentParser
import LatchkeyCore

/// `latchkey client remove ID`: deletes a client with its codes, grants, refresh tokens and
/// consents.
struct ClientRemoveCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "remove",
    abstract: "Delete a client with its grants, refresh tokens and consents.")

  @OptionGroup var store: StoreOptions

  @Argument(help: "The client id.")
  var id: String

  @Flag(name: .long, help: "Do not ask for confirmation.")
  var yes = false

  func run() async throws {
    try await store.withSession { session in
      let client = try await ClientRendering.existing(id, in: session)
      try session.confirm(
        "Remove client \(id) (\(client.name)) with all its grants and refresh tokens?", yes: yes)
      try await session.store.deleteClient(id: id)
      try await session.audit(
        "cli.client.removed", clientID: id, detail: "origin=\(client.origin.rawValue)")
      session.console.write("removed client \(id); \(session.accessTokenNote)")
    }
  }
}
