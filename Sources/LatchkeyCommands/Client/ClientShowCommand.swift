import ArgumentParser
import LatchkeyCore

/// `latchkey client show ID`: one client's metadata and how many live grants it holds.
struct ClientShowCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "show", abstract: "Show one client.")

  @OptionGroup var store: StoreOptions

  @Argument(help: "The client id.")
  var id: String

  @Flag(name: .long, help: "Print JSON instead of text.")
  var json = false

  func run() async throws {
    try await store.withSession { session in
      let client = try await ClientRendering.existing(id, in: session)
      let live = try await session.store.grants(matching: GrantFilter(clientID: id))
        .filter { $0.isLive(at: session.now) }.count
      session.emit(json: json, ClientRendering.json(client, liveGrants: live)) {
        ClientRendering.details(client, liveGrants: live)
      }
    }
  }
}
