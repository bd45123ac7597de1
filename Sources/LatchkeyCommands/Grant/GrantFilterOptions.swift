import ArgumentParser
import LatchkeyCore

/// `--user`, `--client`, `--resource`: which grants a command works on.
struct GrantFilterOptions: ParsableArguments {
  @Option(name: .long, help: "Only grants of this user (username or id).")
  var user: String?

  @Option(name: .long, help: "Only grants of this client id.")
  var client: String?

  @Option(name: .long, help: "Only grants for this resource URL.")
  var resource: String?

  var isEmpty: Bool { user == nil && client == nil && resource == nil }

  /// The store filter; a username is turned into the user id (an unknown name is taken as an id).
  func filter(in session: AdminSession, includeRevoked: Bool) async throws -> GrantFilter {
    var userID = user
    if let user, let record = try await session.store.user(username: user) {
      userID = record.id
    }
    return GrantFilter(
      userID: userID, clientID: client, resource: resource, includeRevoked: includeRevoked)
  }
}
