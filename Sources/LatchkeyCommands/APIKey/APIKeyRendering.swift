import Foundation
import LatchkeyCore

/// The `--json` form and table of API keys. Never the key itself, except the one-time
/// `api_key` member of create and rotate.
enum APIKeyRendering {
  static func status(_ key: APIKey, now: Date) -> String {
    if key.revokedAt != nil { return "revoked" }
    return now < key.expiresAt ? "live" : "expired"
  }

  static func ownerText(_ owner: APIKeyOwner) -> String {
    switch owner {
    case .user(let id): "user \(id)"
    case .client(let id): "client \(id)"
    }
  }

  static func json(_ key: APIKey, now: Date, secret: String? = nil) -> JSONValue {
    var members: [String: JSONValue] = [
      "id": .string(key.id),
      "name": .string(key.name),
      "user_id": JSONValue(key.owner.userID),
      "client_id": JSONValue(key.owner.clientID),
      "resource": .string(key.resource),
      "scopes": JSONValue(key.scopes.tokens),
      "status": .string(status(key, now: now)),
      "created_at": JSONValue(key.createdAt),
      "expires_at": JSONValue(key.expiresAt),
      "last_used_at": JSONValue(key.lastUsedAt),
      "revoked_at": JSONValue(key.revokedAt),
    ]
    if let secret { members["api_key"] = .string(secret) }
    return .object(members)
  }

  static func table(_ keys: [APIKey], now: Date) -> String {
    var table = Table([
      "ID", "NAME", "OWNER", "RESOURCE", "SCOPES", "STATUS", "EXPIRES", "LAST USED",
    ])
    for key in keys {
      table.append([
        key.id, key.name, ownerText(key.owner), key.resource, key.scopes.parameter,
        status(key, now: now), TimeText.timestamp(key.expiresAt),
        TimeText.timestamp(key.lastUsedAt),
      ])
    }
    return table.rendered()
  }

  /// The key with this public id.
  static func existing(_ id: String, in session: AdminSession) async throws -> APIKey {
    guard let key = try await session.store.apiKey(id: id) else {
      throw CLIError("no API key has the id \(id)")
    }
    return key
  }

  /// Audit columns of a key event.
  static func detail(_ key: APIKey) -> String { "api_key=\(key.id)" }
}
