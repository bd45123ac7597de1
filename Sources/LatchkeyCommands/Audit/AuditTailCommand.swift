import ArgumentParser
import Foundation
import LatchkeyCore

/// `latchkey audit tail`: the latest events, and with `--follow` new ones as they arrive
/// (polling the database with `afterID`, so it works while the server writes).
struct AuditTailCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "tail", abstract: "Show the latest audit events; --follow keeps watching.",
    discussion: "With --json, prints one JSON object per line (JSON Lines), oldest first.")

  @OptionGroup var store: StoreOptions
  @OptionGroup var filter: AuditFilterOptions

  @Option(name: [.customShort("n"), .long], help: "How many recent events to show first.")
  var lines = 20

  @Flag(name: [.short, .long], help: "Keep printing new events until interrupted.")
  var follow = false

  @Option(name: .long, help: "Seconds between polls with --follow.")
  var interval: Double = 1

  @Flag(name: .long, help: "Print JSON Lines instead of text.")
  var json = false

  func validate() throws {
    if lines < 0 { throw ValidationError("--lines must not be negative.") }
    if interval <= 0 { throw ValidationError("--interval must be positive.") }
  }

  func run() async throws {
    try await store.withSession { session in
      var query = try await filter.query(in: session, limit: lines)
      query.newestFirst = true
      let recent = try await session.store.auditEvents(matching: query).reversed()
      var lastID = recent.last?.id
      print(Array(recent), session)
      guard follow else { return }
      if lastID == nil {
        lastID =
          try await session.store.auditEvents(
            matching: AuditQuery(limit: 1, newestFirst: true)
          ).first?.id ?? 0
      }
      query.newestFirst = false
      query.limit = 500
      while !Task.isCancelled {
        do {
          try await Task.sleep(for: .seconds(interval))
        } catch {
          return
        }
        query.afterID = lastID
        let fresh = try await session.store.auditEvents(matching: query)
        if let newest = fresh.last?.id { lastID = newest }
        print(fresh, session)
      }
    }
  }

  private func print(_ events: [AuditEvent], _ session: AdminSession) {
    for event in events {
      session.console.write(
        json ? AuditRendering.json(event).rendered(pretty: false) : AuditRendering.line(event))
    }
  }
}
