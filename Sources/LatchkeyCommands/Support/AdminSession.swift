import ArgumentParser
import Foundation
import LatchkeyCore
import LatchkeyServer

/// One admin command's view of the world: configuration, the open database, the console, the
/// clock, and the habits every command shares (audit, confirmation, JSON or table output).
struct AdminSession {
  let configuration: ServerConfiguration
  let store: any LatchkeyStore
  let context: CommandContext

  var console: any Console { context.console }
  var now: Date { context.clock.now() }

  /// Records a change made from the CLI; `detail` always starts with `actor=cli`.
  func audit(
    _ type: String, userID: String? = nil, clientID: String? = nil, resource: String? = nil,
    scopes: ScopeSet? = nil, detail: String? = nil
  ) async throws {
    let text = ["actor=cli", detail].compactMap { $0 }.joined(separator: " ")
    try await store.appendAudit(
      AuditEvent(
        time: now, type: type, outcome: .success, userID: userID, clientID: clientID,
        resource: resource, scopes: scopes, detail: text))
  }

  /// Asks before a destructive change. `--yes` skips the question; without a terminal and
  /// without `--yes` the command refuses, so scripts never hang on a prompt.
  func confirm(_ question: String, yes: Bool) throws {
    if yes { return }
    guard console.isInteractive else {
      throw CLIError("refusing to proceed without --yes when not on a terminal")
    }
    guard console.confirm(question) else {
      throw CLIError("cancelled; nothing was changed")
    }
  }

  /// Prints the JSON document or the table.
  func emit(json: Bool, _ document: @autoclosure () -> JSONValue, table: () -> String) {
    console.write(json ? document().rendered() : table())
  }

  /// What to tell the operator about access tokens that outlive a revocation.
  var accessTokenNote: String {
    "access tokens already issued stay valid until their exp "
      + "(access-token lifetime \(configuration.tokens.accessToken) s)"
  }
}
