import ArgumentParser
import Foundation
import LatchkeyCore

/// Filters shared by `audit tail` and `audit query`. Times are RFC 3339 timestamps, dates
/// (`2027-01-15`, midnight UTC) or durations back from now (`90m`, `12h`, `7d`).
struct AuditFilterOptions: ParsableArguments {
  @Option(name: .long, help: "Only events at or after this time (timestamp, date or 7d/12h ago).")
  var since: String?

  @Option(name: .long, help: "Only events before this time.")
  var until: String?

  @Option(name: .long, help: "Only events of this user (username or id).")
  var user: String?

  @Option(name: .long, help: "Only events of this client id.")
  var client: String?

  @Option(name: .long, help: "Only events for this resource URL.")
  var resource: String?

  @Option(name: .long, help: "Only this event type, e.g. token.issued or cli.client.added.")
  var type: String?

  @Option(name: .long, help: "Only this outcome: success or failure.")
  var outcome: String?

  func validate() throws {
    if let outcome, AuditEvent.Outcome(rawValue: outcome) == nil {
      throw ValidationError("--outcome must be success or failure.")
    }
  }

  /// The store query; a username is turned into the user id (an unknown name is taken as an id).
  func query(in session: AdminSession, limit: Int) async throws -> AuditQuery {
    let now = session.now
    var userID = user
    if let user, let record = try await session.store.user(username: user) { userID = record.id }
    return AuditQuery(
      since: try since.map { try Self.instant($0, now: now, option: "--since") },
      until: try until.map { try Self.instant($0, now: now, option: "--until") },
      userID: userID, clientID: client, resource: resource, type: type,
      outcome: outcome.flatMap(AuditEvent.Outcome.init(rawValue:)),
      limit: limit)
  }

  static func instant(_ text: String, now: Date, option: String) throws -> Date {
    guard let date = TimeText.instant(text, now: now) else {
      throw ValidationError(
        "\(option) \(text) is not a timestamp, a date (2027-01-15) or a duration (7d, 12h).")
    }
    return date
  }
}
