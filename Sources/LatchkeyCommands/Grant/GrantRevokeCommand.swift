import ArgumentParser
import LatchkeyCore

/// `latchkey grant revoke`: revokes one grant by id, or every live grant matching the filters,
/// with their refresh-token families. Access tokens already issued stay valid until `exp`.
struct GrantRevokeCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "revoke",
    abstract: "Revoke grants and their refresh tokens (by id, or by user/client/resource).",
    discussion: """
      Refresh tokens stop working at once. Access tokens are self-contained JWTs: those already \
      issued stay valid until their exp (the configured access-token lifetime).
      """)

  @OptionGroup var store: StoreOptions

  @Argument(help: "The grant id (or use --user/--client/--resource).")
  var id: String?

  @OptionGroup var filter: GrantFilterOptions

  @Flag(name: .long, help: "Do not ask for confirmation.")
  var yes = false

  func validate() throws {
    if id == nil, filter.isEmpty {
      throw ValidationError("Give a grant id or at least one of --user, --client, --resource.")
    }
    if id != nil, !filter.isEmpty {
      throw ValidationError("Give either a grant id or filters, not both.")
    }
  }

  func run() async throws {
    try await store.withSession { session in
      let now = session.now
      let targets: [Grant]
      if let id {
        guard let grant = try await session.store.grant(id: id) else {
          throw CLIError("no grant has the id \(id)")
        }
        guard grant.revokedAt == nil else { throw CLIError("the grant \(id) is already revoked") }
        targets = [grant]
      } else {
        targets = try await session.store.grants(
          matching: try await filter.filter(in: session, includeRevoked: false))
      }
      guard !targets.isEmpty else {
        session.console.write("no live grant matches; nothing was changed")
        return
      }
      try session.confirm("Revoke \(targets.count) grant(s) and their refresh tokens?", yes: yes)
      var revoked = 0
      for grant in targets
      where try await session.store.revokeGrant(id: grant.id, at: now, reason: "revoked (cli)") {
        revoked += 1
        try await session.audit(
          "cli.grant.revoked", userID: grant.userID, clientID: grant.clientID,
          resource: grant.resource, scopes: grant.scopes, detail: "grant=\(grant.id)")
      }
      session.console.write(
        "revoked \(revoked) grant(s) and their refresh tokens; \(session.accessTokenNote)")
    }
  }
}
