import ArgumentParser
import LatchkeyCore

/// `latchkey grant list`: live grants by default, filtered by user, client or resource.
struct GrantListCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "list", abstract: "List grants per user, client or resource.")

  @OptionGroup var store: StoreOptions
  @OptionGroup var filter: GrantFilterOptions

  @Flag(name: .long, help: "Include revoked grants.")
  var all = false

  @Flag(name: .long, help: "Print JSON instead of a table.")
  var json = false

  func run() async throws {
    try await store.withSession { session in
      let grants = try await session.store.grants(
        matching: try await filter.filter(in: session, includeRevoked: all)
      ).sorted { ($0.createdAt, $0.id) < ($1.createdAt, $1.id) }
      let now = session.now
      session.emit(json: json, .array(grants.map { GrantRendering.json($0, now: now) })) {
        GrantRendering.table(grants, now: now)
      }
    }
  }
}
