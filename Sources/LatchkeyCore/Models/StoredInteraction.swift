public import Foundation

/// One authorization request in progress (node-oidc-provider's Interaction, Hydra's login and
/// consent challenges): created by `GET /authorize`, named by an opaque id in the login and
/// consent forms, bound to the browser that started it, decided exactly once.
///
/// The store keeps it under the hash of its id, never the id itself.
public struct StoredInteraction: Sendable, Equatable {
  /// SHA-256 of the browser's CSRF cookie when the request started: a form for this interaction
  /// is accepted only from the same browser.
  public var browserHash: String
  /// The user who signed in for it; nil until someone has.
  public var userID: String?
  /// The validated authorization request, form-encoded (OAuth 2.1 §4.1.1 parameters).
  public var parameters: String
  /// When the interaction may no longer be decided.
  public var expiresAt: Date

  public init(browserHash: String, userID: String?, parameters: String, expiresAt: Date) {
    self.browserHash = browserHash
    self.userID = userID
    self.parameters = parameters
    self.expiresAt = expiresAt
  }
}

/// What the store knows of an interaction at a given time.
public enum InteractionStatus: Sendable, Equatable {
  /// Waiting for sign-in or a decision.
  case pending(StoredInteraction)
  /// Decided already (a code or an error went to the client): never decided again.
  case completed
  /// Unknown, or past its `expiresAt`.
  case expired
}
