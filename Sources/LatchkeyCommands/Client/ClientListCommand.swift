import ArgumentParser
import LatchkeyCore

/// `latchkey client list`: every client, whatever its origin, with its last use.
struct ClientListCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "list",
    abstract: "List clients: pre-registered, dynamically registered and metadata-document ones.")

  @OptionGroup var store: StoreOptions

  @Option(name: .long, help: "Only this origin: preregistered, dynamic or metadata_document.")
  var origin: String?

  func validate() throws {
    if let origin, ClientOrigin(rawValue: origin) == nil {
      throw ValidationError("--origin must be preregistered, dynamic or metadata_document.")
    }
  }

  @Flag(name: .long, help: "Print JSON instead of a table.")
  var json = false

  func run() async throws {
    try await store.withSession { session in
      let clients = try await session.store.clients()
        .filter { origin == nil || $0.origin.rawValue == origin }
        .sorted { ($0.createdAt, $0.id) < ($1.createdAt, $1.id) }
      session.emit(json: json, .array(clients.map { ClientRendering.json($0) })) {
        ClientRendering.table(clients)
      }
    }
  }
}
