import ArgumentParser
import LatchkeyCore

/// `latchkey audit query`: events matching filters, oldest first.
struct AuditQueryCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "query", abstract: "Search the audit trail (oldest first).",
    discussion: "Example: latchkey audit query --since 7d --type login.failed --outcome failure")

  @OptionGroup var store: StoreOptions
  @OptionGroup var filter: AuditFilterOptions

  @Option(name: .customLong("after-id"), help: "Only events with an id above this (paging).")
  var afterID: Int64?

  @Option(name: .long, help: "At most this many events.")
  var limit = 100

  @Flag(name: .long, help: "Print JSON instead of a table.")
  var json = false

  func run() async throws {
    try await store.withSession { session in
      var query = try await filter.query(in: session, limit: limit)
      query.afterID = afterID
      let events = try await session.store.auditEvents(matching: query)
      session.emit(json: json, .array(events.map(AuditRendering.json))) {
        AuditRendering.table(events)
      }
    }
  }
}
