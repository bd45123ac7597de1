import Foundation
import LatchkeyCore
import LatchkeyJOSE

/// Authorization interactions (`StoredInteraction`), kept in the `EphemeralStateStore` under
/// the hash of their id: the id travels in the login and consent forms, the table never holds
/// a usable one.
struct Interactions: Sendable {
  /// How long a user has to sign in and decide (node-oidc-provider and Hydra use 10 minutes
  /// and 1 hour; a code lives 60 s after that).
  static let lifetime: TimeInterval = 600

  let state: any EphemeralStateStore

  /// Starts an interaction for a validated request in the browser whose CSRF cookie is
  /// `browserToken`; returns its id (256 random bits).
  func start(
    _ request: AuthorizationRequest, browserToken: String, userID: String?, at now: Date
  ) async throws -> String {
    let id = SecureRandom.token()
    try await state.startInteraction(
      hash: SecretHash.of(id),
      interaction: StoredInteraction(
        browserHash: SecretHash.of(browserToken), userID: userID, parameters: request.encoded,
        expiresAt: now.addingTimeInterval(Self.lifetime)))
    return id
  }

  /// The interaction a form names; a value Latchkey could not have issued is `.expired`
  /// without a lookup.
  func status(id: String, at now: Date) async throws -> InteractionStatus {
    guard InteractionCookies.isWellFormed(id) else { return .expired }
    return try await state.interaction(hash: SecretHash.of(id), at: now)
  }

  func bind(id: String, userID: String, at now: Date) async throws -> Bool {
    try await state.bindInteraction(hash: SecretHash.of(id), userID: userID, at: now)
  }

  /// True for exactly one decision per interaction.
  func complete(id: String, at now: Date) async throws -> Bool {
    try await state.completeInteraction(hash: SecretHash.of(id), at: now)
  }

  /// Whether a pending interaction was started by the browser whose CSRF cookie is
  /// `browserToken` (constant-time over the hashes).
  static func isBound(_ interaction: StoredInteraction, toBrowser browserToken: String) -> Bool {
    ConstantTime.equals(interaction.browserHash, SecretHash.of(browserToken))
  }
}
