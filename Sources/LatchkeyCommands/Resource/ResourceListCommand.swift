import ArgumentParser
import LatchkeyCore

/// `latchkey resource list`.
struct ResourceListCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "list", abstract: "List protected resources with their scopes.")

  @OptionGroup var store: StoreOptions

  @Flag(name: .long, help: "Print JSON instead of a table.")
  var json = false

  func run() async throws {
    try await store.withSession { session in
      let resources = try await session.store.resources().sorted { $0.url < $1.url }
      session.emit(json: json, .array(resources.map(ResourceRendering.json))) {
        ResourceRendering.table(resources)
      }
    }
  }
}
