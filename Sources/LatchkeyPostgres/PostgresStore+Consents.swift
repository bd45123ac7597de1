public import Foundation
public import LatchkeyCore
import PostgresNIO

extension PostgresStore {
  /// The remembered consent, or nil.
  public func consent(userID: String, clientID: String, resource: String) async throws -> Consent? {
    try await transaction("consent") { db in
      try await db.row(
        """
        SELECT * FROM consents
        WHERE user_id = \(userID) AND client_id = \(clientID) AND resource = \(resource)
        """
      ).map(Consent.init(columns:))
    }
  }

  /// Adds `scopes` to the consent (creating it) inside one transaction: the row is created if
  /// absent, then locked `FOR UPDATE` before the union is computed, so concurrent approvals on
  /// any instance apply one after the other and none is lost.
  public func approveConsent(
    userID: String, clientID: String, resource: String, scopes: ScopeSet, at time: Date
  ) async throws -> Consent {
    try await transaction("consent") { db in
      try await db.run(
        """
        INSERT INTO consents (user_id, client_id, resource, scopes, granted_at, updated_at)
        VALUES (\(userID), \(clientID), \(resource), '', \(time.millis), \(time.millis))
        ON CONFLICT (user_id, client_id, resource) DO NOTHING
        """)
      guard
        var consent = try await db.row(
          """
          SELECT * FROM consents
          WHERE user_id = \(userID) AND client_id = \(clientID) AND resource = \(resource)
          FOR UPDATE
          """
        ).map(Consent.init(columns:))
      else { throw StoreError.unavailable("consent row vanished") }
      consent.scopes = consent.scopes.union(scopes)
      consent.updatedAt = time
      try await db.run(
        """
        UPDATE consents SET scopes = \(consent.scopes.parameter), updated_at = \(time.millis)
        WHERE user_id = \(userID) AND client_id = \(clientID) AND resource = \(resource)
        """)
      return consent
    }
  }

  /// The user's consents by client then resource.
  public func consents(userID: String) async throws -> [Consent] {
    try await transaction("consent") { db in
      try await db.rows(
        """
        SELECT * FROM consents WHERE user_id = \(userID)
        ORDER BY client_id COLLATE "C", resource COLLATE "C"
        """
      ).map(Consent.init(columns:))
    }
  }

  /// Forgets the consent; false when there was none.
  public func revokeConsent(userID: String, clientID: String, resource: String) async throws
    -> Bool
  {
    try await transaction("consent") { db in
      try await db.run(
        """
        DELETE FROM consents
        WHERE user_id = \(userID) AND client_id = \(clientID) AND resource = \(resource)
        RETURNING 1
        """) == 1
    }
  }
}
