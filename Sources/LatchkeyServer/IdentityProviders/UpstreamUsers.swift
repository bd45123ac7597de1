import Foundation
import LatchkeyCore

/// Users who sign in through a provider. A user is linked by (provider id, upstream `sub`) —
/// never by email or username, which the provider may let people change (OpenID Connect Core
/// §5.7: only `iss` + `sub` identify the end-user). In this first version the link is the
/// user's id itself (`userID(provider:subject:)`, a hash of the pair), so no table is needed;
/// the `user_identities` table of issue 23 will take it over.
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
  static func usernameCandidates(_ claims: IDTokenClaims, userID: String, provider: String)
    -> [String]
  {
    let suffix = String(userID.suffix(6))
    let base =
      (claims.emailVerified ? claims.email?.lowercased() : nil)
      ?? claims.preferredUsername.flatMap { $0.isEmpty ? nil : $0 }
      ?? "\(provider)-\(suffix)"
    return [base, "\(base)-\(suffix)", userID]
  }
}

extension AuthorizationServer {
  /// The user linked to the id_token's subject, created just in time when the provider allows
  /// it (`create_users`); nil when there is none and none may be created.
  func upstreamUser(
    _ claims: IDTokenClaims, _ provider: IdentityProviders.Provider, at now: Date
  ) async throws -> User? {
    guard let subject = claims.sub else { return nil }
    let id = UpstreamUsers.userID(provider: provider.configuration.id, subject: subject)
    if let user = try await store.user(id: id) { return user }
    guard provider.configuration.createUsers else { return nil }
    for username in UpstreamUsers.usernameCandidates(
      claims, userID: id, provider: provider.configuration.id)
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
          detail: "just in time, provider \(provider.configuration.id)"))
      return user
    }
    return nil
  }
}
