public import Foundation
import GRDB
public import LatchkeyCore

extension SQLiteStore {
  /// The remembered consent, or nil.
  public func consent(userID: String, clientID: String, resource: String) async throws -> Consent? {
    try read("consent") { db in
      try db.row(
        "SELECT * FROM consents WHERE user_id = ? AND client_id = ? AND resource = ?",
        [userID, clientID, resource], Consent.init(columns:))
    }
  }

  /// Adds `scopes` to the consent (creating it) inside one write transaction: the read and
  /// the write of the union cannot interleave with another approval, so none is lost.
  public func approveConsent(
    userID: String, clientID: String, resource: String, scopes: ScopeSet, at time: Date
  ) async throws -> Consent {
    try await commit("consent") { db in
      var consent =
        try db.row(
          "SELECT * FROM consents WHERE user_id = ? AND client_id = ? AND resource = ?",
          [userID, clientID, resource], Consent.init(columns:))
        ?? Consent(
          userID: userID, clientID: clientID, resource: resource, scopes: .empty, grantedAt: time,
          updatedAt: time)
      consent.scopes = consent.scopes.union(scopes)
      consent.updatedAt = time
      try db.run(
        """
        INSERT INTO consents (user_id, client_id, resource, scopes, granted_at, updated_at)
        VALUES (?, ?, ?, ?, ?, ?)
        ON CONFLICT (user_id, client_id, resource) DO UPDATE SET scopes = excluded.scopes,
          updated_at = excluded.updated_at
        """,
        [
          userID, clientID, resource, consent.scopes.parameter, consent.grantedAt.millis,
          time.millis,
        ])
      return consent
    }
  }

  /// The user's consents by client then resource.
  public func consents(userID: String) async throws -> [Consent] {
    try read("consent") { db in
      try db.rows(
        "SELECT * FROM consents WHERE user_id = ? ORDER BY client_id, resource", [userID],
        Consent.init(columns:))
    }
  }

  /// Forgets the consent; false when there was none.
  public func revokeConsent(userID: String, clientID: String, resource: String) async throws
    -> Bool
  {
    try await commit("consent") { db in
      try db.run(
        "DELETE FROM consents WHERE user_id = ? AND client_id = ? AND resource = ?",
        [userID, clientID, resource]) == 1
    }
  }
}
