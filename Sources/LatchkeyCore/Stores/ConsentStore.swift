public import Foundation

/// Remembered, incremental consent per (user, client, resource).
public protocol ConsentStore: Sendable {
  func consent(userID: String, clientID: String, resource: String) async throws -> Consent?
  /// Adds `scopes` to the remembered consent atomically (creating it when absent) and returns
  /// the union. Concurrent approvals never lose a scope.
  func approveConsent(
    userID: String, clientID: String, resource: String, scopes: ScopeSet, at time: Date
  ) async throws -> Consent
  func consents(userID: String) async throws -> [Consent]
  /// Forgets the consent; false when there was none.
  func revokeConsent(userID: String, clientID: String, resource: String) async throws -> Bool
}
