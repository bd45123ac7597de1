import ArgumentParser
import LatchkeyCore

/// `latchkey token revoke < token`: a refresh token revokes its whole grant (the token family);
/// an access token cannot be revoked on its own (it is a self-contained JWT).
struct TokenRevokeCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "revoke", abstract: "Revoke the grant of a refresh token read from stdin.",
    discussion: """
      Example: latchkey token revoke --yes < refresh-token.txt. Revoking a refresh token \
      revokes its grant with every refresh token of the family. Access tokens (JWTs) cannot be \
      revoked one by one; they stay valid until exp — revoke their grant with grant revoke.
      """)

  @OptionGroup var store: StoreOptions

  @Flag(name: .long, help: "Do not ask for confirmation (needed when stdin is a pipe).")
  var yes = false

  func run() async throws {
    try await store.withSession { session in
      let token = try TokenInput.read(console: session.console)
      guard let refresh = try await session.store.refreshToken(hash: SecretHash.of(token)) else {
        if token.split(separator: ".").count == 3 {
          throw CLIError(
            "this is an access token, which stays valid until its exp; revoke its grant with "
              + "`latchkey grant revoke --user SUB --client CLIENT_ID` (see `token inspect`)")
        }
        throw CLIError("no refresh token matches the token given")
      }
      guard let grant = try await session.store.grant(id: refresh.grantID) else {
        throw CLIError("the refresh token's grant no longer exists")
      }
      guard grant.revokedAt == nil else {
        throw CLIError("the grant \(grant.id) of this refresh token is already revoked")
      }
      try session.confirm(
        "Revoke grant \(grant.id) (user \(grant.userID), client \(grant.clientID))?", yes: yes)
      _ = try await session.store.revokeGrant(
        id: grant.id, at: session.now, reason: "refresh token revoked (cli)")
      try await session.audit(
        "cli.token.revoked", userID: grant.userID, clientID: grant.clientID,
        resource: grant.resource, scopes: grant.scopes, detail: "grant=\(grant.id)")
      session.console.write(
        "revoked grant \(grant.id) and its refresh tokens; \(session.accessTokenNote)")
    }
  }
}
