import Foundation
import LatchkeyCore

/// Users who sign in through a provider. A user is linked by (provider id, upstream `sub`) in
/// `user_identities` — never by email or username, which the provider may let people change
/// (OpenID Connect Core §5.7: only `iss` + `sub` identify the end-user). A user created on
/// first sign-in gets the id `userID(provider:subject:)`, a hash of the pair, so two first
/// sign-ins at once converge on one user.
enum UpstreamUsers {
  /// The password hash of users created through a provider: not a `$scrypt$` string, so
  /// `ScryptPasswordHasher.verify` never matches it and the password form cannot sign them in.
  static let noPassword = "!upstream"

  /// `idp_<provider>_<first 32 hex of SHA-256(provider NUL sub)>`: stable for the pair,
  /// distinct across providers, not revealing the upstream subject.
  static func userID(provider: String, subject: String) -> String {
    "idp_\(provider)_" + SecretHash.of(provider + "\u{0}" + subject).prefix(32)
  }

  /// The login name of a new user: the verified email, else `preferred_username`, else the
  /// provider id and part of the hash; made unique with a suffix when taken.
  static func usernameCandidates(_ identity: UpstreamIdentity, userID: String, provider: String)
    -> [String]
  {
    let suffix = String(userID.suffix(6))
    let base =
      (identity.emailVerified ? identity.email?.lowercased() : nil)
      ?? identity.username.flatMap { $0.isEmpty ? nil : $0 }
      ?? "\(provider)-\(suffix)"
    return [base, "\(base)-\(suffix)", userID]
  }
}

extension AuthorizationServer {
  /// The user linked to the id_token's subject, created just in time when the provider allows
  /// it (`create_users`); nil when there is none and none may be created.
  func upstreamUser(
    _ identity: UpstreamIdentity, _ provider: IdentityProviders.Provider, at now: Date
  ) async throws -> User? {
    let subject = identity.subject
    guard !subject.isEmpty else { return nil }
    let providerID = provider.configuration.id
    if let link = try await store.userIdentity(provider: providerID, subject: subject) {
      return try await store.user(id: link.userID)
    }
    guard provider.configuration.createUsers else { return nil }
    let id = UpstreamUsers.userID(provider: providerID, subject: subject)
    guard let user = try await createUpstreamUser(id: id, identity, providerID, at: now) else {
      return nil
    }
    do {
      try await store.insertUserIdentity(
        UserIdentity(provider: providerID, subject: subject, userID: user.id, createdAt: now))
    } catch StoreError.conflict {
      // Another first sign-in linked it at the same moment: follow its link.
      guard let link = try await store.userIdentity(provider: providerID, subject: subject)
      else { return nil }
      return try await store.user(id: link.userID)
    }
    return user
  }

  /// The user with the derived id, inserted under the first free username candidate.
  private func createUpstreamUser(
    id: String, _ identity: UpstreamIdentity, _ providerID: String, at now: Date
  ) async throws -> User? {
    if let user = try await store.user(id: id) { return user }
    for username in UpstreamUsers.usernameCandidates(identity, userID: id, provider: providerID)
    where try await store.user(username: username) == nil {
      let user = User(
        id: id, username: username, passwordHash: UpstreamUsers.noPassword, createdAt: now)
      do {
        try await store.insertUser(user)
      } catch {
        // Another request created it first (or took the name): read what is there.
        if let existing = try await store.user(id: id) { return existing }
        continue
      }
      await audit(
        AuditEvent(
          time: now, type: "user.created", outcome: .success, userID: id,
          detail: "just in time, provider \(providerID)"))
      return user
    }
    return nil
  }
}
